const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/**
 * A search snippet for a terminal: the API sends HTML-escaped text with <mark> around matches;
 * marks become bold on a terminal and [brackets] elsewhere, entities become their characters.
 */
export function formatSnippet(html: string, style: 'ansi' | 'plain'): string {
  const [open, close] = style === 'ansi' ? ['\x1b[1m', '\x1b[22m'] : ['[', ']'];
  return html
    .replace(/<mark>/g, open)
    .replace(/<\/mark>/g, close)
    .replace(/<[^>]*>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#') && name !== '#39') return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
