// ANSI style sequences (ESC [ … m), which take no room on screen.
const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');
const ANSI_SPLIT = new RegExp('(' + String.fromCharCode(27) + '\\[[0-9;]*m)');

/** Left-aligned columns separated by two spaces; the last column takes what is left of the line. */
export function textTable(headers: string[], rows: string[][], maxWidth?: number): string {
  const visible = (s: string) => s.replace(ANSI, '');
  const widths = headers.map((h, i) => Math.max(visible(h).length, ...rows.map((r) => visible(r[i] ?? '').length)));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - visible(s).length));
  const fixed = widths.slice(0, -1).reduce((a, w) => a + w + 2, 0);
  const lastWidth = maxWidth ? Math.max(20, maxWidth - fixed) : Infinity;
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? truncateVisible(c, lastWidth) : pad(c, widths[i])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w, i) => '─'.repeat(i === widths.length - 1 ? Math.min(w, lastWidth, 60) : w)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Cuts a string with ANSI styles to a visible width, keeping styles balanced. */
function truncateVisible(s: string, width: number): string {
  if (!Number.isFinite(width)) return s;
  let out = '';
  let seen = 0;
  for (const part of s.split(ANSI_SPLIT)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      continue;
    }
    const room = width - seen;
    if (part.length <= room) {
      out += part;
      seen += part.length;
    } else {
      out += part.slice(0, Math.max(0, room - 1)) + '…';
      seen = width;
      break;
    }
  }
  return seen >= width ? out + '\x1b[0m' : out;
}
