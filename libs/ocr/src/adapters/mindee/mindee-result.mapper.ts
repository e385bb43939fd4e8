import { DomainException, ErrorCode } from '@recto/common';
import type { OcrPage, OcrResult } from '../../ocr-result';
import { groupIntoLines } from './line-grouping';
import type { PageSize } from './mindee-file.inspector';
import type { MindeeOcrResponse } from './mindee-types';

export const MINDEE_PROVIDER = 'mindee';

/**
 * Mindee's pages as ours: words keep Mindee's polygons exactly (highlights are the provider's
 * polygons), lines are rebuilt from geometry, and page sizes come from the file, which Mindee's
 * result does not carry.
 */
export function toOcrResult(response: MindeeOcrResponse, sizes: PageSize[]): OcrResult {
  const pages = response.inference.result.pages;
  if (sizes.length > 0 && pages.length !== sizes.length) {
    throw new DomainException(
      ErrorCode.ProviderError,
      `Mindee returned ${pages.length} pages for a file of ${sizes.length} pages.`,
      [],
      false,
    );
  }
  return {
    provider: MINDEE_PROVIDER,
    pages: pages.map((page, i): OcrPage => ({
      number: i + 1,
      width: sizes[i]?.width ?? null,
      height: sizes[i]?.height ?? null,
      source: 'ocr',
      words: groupIntoLines(page.words.filter((w) => w.content.trim() !== '')).map(({ word, line }) => ({
        content: word.content,
        polygon: word.polygon.map(([x, y]) => [x, y] as [number, number]),
        confidence: null,
        line,
      })),
    })),
  };
}
