import { coverageOf, type TextMatch } from '@recto/common';
import type { HitPageRow, MatchedWord } from '../repositories/page.repository';
import { decodePageWords } from './page-words.codec';

/** The words of a hit page's row that overlap the matches, in reading order (the one overlap rule, coverageOf). */
export function matchedWords(row: Pick<HitPageRow, 'content' | 'words'>, matches: readonly TextMatch[]): MatchedWord[] {
  if (matches.length === 0 || !row.words || row.content === null) return [];
  return decodePageWords(row.words, row.content, coverageOf(matches)).map(
    ({ content, polygon, line, charStart, charEnd }) => ({ content, polygon, line, charStart, charEnd }),
  );
}
