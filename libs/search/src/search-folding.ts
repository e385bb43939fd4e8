/** Letters of historical print that readers (and their queries) write with a modern letter. */
const LETTERS: Record<string, string> = {
  ſ: 's', // long s
  ꝛ: 'r', // r rotunda
  ẜ: 's',
  ẝ: 's',
  ﬀ: 'ff',
  ﬁ: 'fi',
  ﬂ: 'fl',
  ﬃ: 'ffi',
  ﬄ: 'ffl',
  ﬅ: 'st',
  ﬆ: 'st',
};

/** The superscript e of early modern German (aͤ, oͤ, uͤ) is the umlaut. */
const COMBINING_E = '\u0364';
const UMLAUT: Record<string, string> = { a: 'ä', o: 'ö', u: 'ü', A: 'Ä', O: 'Ö', U: 'Ü' };
const COMBINING = /\p{M}/u;

export interface FoldedText {
  folded: string;
  /**
   * For every boundary position in `folded` (0..folded.length), the boundary position in the
   * original text, so that a match found in the folded text maps back to the printed characters.
   */
  toOriginal: number[];
}

/**
 * Folds text for searching while keeping a map back to the printed text: long s to s, ligatures
 * expanded, and a letter followed by combining marks composed into one letter (a + ͤ → ä, a + ̈ →
 * ä). Highlights and snippets keep the words as printed; only the index sees the folded form.
 */
export function foldForSearch(text: string): FoldedText {
  let folded = '';
  const toOriginal: number[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i)!;
    const char = String.fromCodePoint(code);
    let end = i + char.length;
    while (end < text.length && COMBINING.test(text[end])) end++;
    let out: string;
    const marks = text.slice(i + char.length, end);
    if (marks === COMBINING_E && UMLAUT[char]) {
      out = UMLAUT[char];
    } else if (marks.length > 0) {
      const composed = (char + marks).normalize('NFC');
      // Marks that do not compose stay as they are: nothing is lost, the map stays exact.
      out = [...composed].length === 1 ? composed : char + marks;
    } else {
      out = LETTERS[char] ?? char;
    }
    for (let k = 0; k < out.length; k++) toOriginal.push(i);
    folded += out;
    i = end;
  }
  toOriginal.push(text.length);
  return { folded, toOriginal };
}

/** Maps a [start, end) range of folded text back to the printed text (a cut ligature is kept whole). */
export function toOriginalRange(map: FoldedText, start: number, end: number): { start: number; end: number } {
  const { toOriginal } = map;
  const last = toOriginal.length - 1;
  let e = Math.min(end, last);
  // An end inside an expansion (ﬂ → fl) moves past it.
  while (e > 0 && e < last && toOriginal[e] === toOriginal[e - 1]) e++;
  return { start: toOriginal[Math.min(start, last)], end: toOriginal[e] };
}
