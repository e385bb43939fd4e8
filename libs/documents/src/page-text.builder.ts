export interface LaidOutWord {
  content: string;
  /** Line index within the page, in reading order. */
  line: number;
}

export interface PageText {
  content: string;
  /** [charStart, charEnd) of each input word in `content`, UTF-16 offsets. */
  offsets: [number, number][];
}

/**
 * The indexed text of a page: words of a line joined by spaces, lines by newlines. The offsets
 * are what lets a search-engine match be traced back to the words (and so to polygons).
 */
export function buildPageText(words: LaidOutWord[]): PageText {
  let content = '';
  const offsets: [number, number][] = [];
  let previousLine: number | null = null;
  for (const word of words) {
    const text = word.content.replace(/\s+/g, ' ').trim();
    if (previousLine !== null) content += word.line === previousLine ? ' ' : '\n';
    const start = content.length;
    content += text;
    offsets.push([start, content.length]);
    previousLine = word.line;
  }
  return { content, offsets };
}
