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

/** A letter, then a hyphen (hyphen-minus, soft hyphen, ‐, ¬, or the Fraktur double hyphen ⸗). */
const LINE_END_HYPHEN = /\p{L}[-\u00AD\u2010¬⸗=]$/u;
const STARTS_LOWERCASE = /^\p{Ll}/u;

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The indexed text of a page: words of a line joined by spaces, lines by newlines. The offsets
 * are what lets a search-engine match be traced back to the words (and so to polygons).
 *
 * A word hyphenated across a line end (`ent-` / `stehen`) is indexed whole (`entstehen`): the
 * hyphen and the line break are left out of the text, and each part's offsets cover its letters,
 * so a match on the whole word highlights both parts where they are printed.
 */
export function buildPageText(words: LaidOutWord[]): PageText {
  let content = '';
  const offsets: [number, number][] = [];
  let joinNext = false;
  for (const [i, word] of words.entries()) {
    let text = clean(word.content);
    const previous = words[i - 1];
    if (previous && !joinNext) content += word.line === previous.line ? ' ' : '\n';
    const next = words[i + 1];
    joinNext =
      next !== undefined &&
      next.line !== word.line &&
      LINE_END_HYPHEN.test(text) &&
      STARTS_LOWERCASE.test(clean(next.content));
    if (joinNext) text = text.slice(0, -1);
    const start = content.length;
    content += text;
    offsets.push([start, content.length]);
  }
  return { content, offsets };
}
