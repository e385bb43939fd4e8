import type { INestApplicationContext } from '@nestjs/common';
import { DocumentRepository, PageRepository } from '@recto/database';
import { buildPageText, toIndexDocument } from '@recto/documents';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { randomBytes } from 'node:crypto';

/** A PNG signature and header start with random bytes after it: accepted as a PNG upload, never a duplicate. */
export const uniquePng = () => Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(64)]);

/**
 * Stands in for the worker: stores the words of an uploaded document (pages of lines of words,
 * laid out left to right on a 1000×2000 page) and indexes its pages.
 */
export async function storeWords(app: INestApplicationContext, documentId: string, pages: string[][][]): Promise<void> {
  const built = pages.map((pageLines, p) => {
    const words = pageLines.flatMap((line, l) =>
      line.map((content, i) => ({ content, line: l, x: 0.1 + i * 0.15, y: 0.1 + l * 0.05 })),
    );
    // The worker's own rule for a page's text and each word's offsets in it.
    const { content, offsets } = buildPageText(words);
    const located = words.map((w, i) => ({ ...w, charStart: offsets[i][0], charEnd: offsets[i][1] }));
    return {
      number: p + 1,
      width: 1000,
      height: 2000,
      content,
      source: 'ocr' as const,
      words: located.map((w) => ({
        content: w.content,
        confidence: 0.9,
        line: w.line,
        charStart: w.charStart,
        charEnd: w.charEnd,
        polygon: [
          [w.x, w.y],
          [w.x + 0.1, w.y],
          [w.x + 0.1, w.y + 0.02],
          [w.x, w.y + 0.02],
        ] as [number, number][],
      })),
    };
  });
  const saved = await app.get(PageRepository).replaceDocumentPages(documentId, built);
  const document = (await app.get(DocumentRepository).findById(documentId))!;
  await app.get<SearchIndex>(SEARCH_INDEX).upsertPages(saved.map((page) => toIndexDocument(document, page)));
}
