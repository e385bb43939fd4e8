import type { JSX } from 'preact';

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Character references to characters, by hand: no HTML parser ever sees the text. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/**
 * A search snippet: the server sends HTML-escaped text with <mark> around matches. Only those
 * marks become elements; everything else is rendered as text, so no markup from a scanned page
 * can ever reach the DOM as HTML.
 */
export function SnippetText({ html }: { html: string }): JSX.Element {
  const out: JSX.Element[] = [];
  let marked = false;
  html.split(/(<mark>|<\/mark>)/).forEach((part, i) => {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) {
      const text = decodeEntities(part);
      out.push(marked ? <mark key={i}>{text}</mark> : <span key={i}>{text}</span>);
    }
  });
  return <span class="snippet">{out}</span>;
}
