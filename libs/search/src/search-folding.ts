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
const SYMBOL = /\p{S}/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * A symbol glued to a word (`$1,275`, `«>l`, `£3`, `|word`) is a space for the index. The engine
 * splits words at punctuation but keeps symbols (currency, `< > = ^ | ~ ° ©`) inside them, while
 * queries, highlights and snippets take a word to be letters, digits and marks only: `$1` would be
 * one engine word that neither `1` nor `1,275` finds. Folding here (and not in the engine's
 * `separatorTokens`) keeps both sides on one rule, and a plain reindex rewrites the pages.
 */
function isGluedSymbol(text: string, i: number, char: string): boolean {
  if (!SYMBOL.test(char)) return false;
  const next = text.codePointAt(i + char.length);
  return WORD_CHAR.test(text[i - 1] ?? '') || (next !== undefined && WORD_CHAR.test(String.fromCodePoint(next)));
}

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
 * ä), and a symbol glued to a word made a space (`$1,275` → ` 1,275`, see isGluedSymbol).
 * Highlights and snippets keep the words as printed; only the index sees the folded form.
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
    } else if (isGluedSymbol(text, i, char)) {
      out = ' ';
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
