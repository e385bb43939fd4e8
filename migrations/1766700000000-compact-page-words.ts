import { MigrationInterface, QueryRunner } from 'typeorm';
import { decodePageWords, encodePageWords } from '../libs/database/src/codecs/page-words.codec';
import type { PageWord, Polygon } from '../libs/database/src/entities/word.entity';

const BATCH_PAGES = 500;

/**
 * A page's words move from ~350-byte rows of `words` (uuid keys, jsonb polygon, three indexes)
 * into one compact value of the page row, `pages.words` (page-words.codec: coordinates to
 * 1/1,000,000 of the page, confidence to 0.01, content as offsets into the page text): about 12
 * bytes a word. `down` rebuilds the `words` table from it — at that precision, since the
 * discarded digits are gone.
 */
export class CompactPageWords1766700000000 implements MigrationInterface {
  name = 'CompactPageWords1766700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pages ADD COLUMN words bytea`);
    for (let after: string | null = null; ;) {
      const pages: {
        id: string;
        content: string;
        words: [string, Polygon, number | null, number, number, number][];
      }[] = await q.query(
        `SELECT p.id, p.content,
                  COALESCE((SELECT json_agg(json_build_array(w.content, w.polygon, w.confidence, w.line, w.char_start, w.char_end)
                                            ORDER BY w.idx)
                            FROM words w WHERE w.page_id = p.id), '[]'::json) AS words
           FROM pages p WHERE $1::uuid IS NULL OR p.id > $1 ORDER BY p.id LIMIT $2`,
        [after, BATCH_PAGES],
      );
      if (pages.length === 0) break;
      await q.query(
        `UPDATE pages p SET words = t.words FROM unnest($1::uuid[], $2::bytea[]) AS t(id, words) WHERE p.id = t.id`,
        [
          pages.map((p) => p.id),
          pages.map((p) =>
            encodePageWords(
              p.words.map(([content, polygon, confidence, line, charStart, charEnd]) => ({
                content,
                polygon,
                confidence,
                line,
                charStart,
                charEnd,
              })),
              p.content,
            ),
          ),
        ],
      );
      after = pages[pages.length - 1].id;
    }
    await q.query(`ALTER TABLE pages ALTER COLUMN words SET NOT NULL`);
    await q.query(`DROP TABLE words`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE words (
        page_id uuid NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
        idx int NOT NULL,
        document_id uuid NOT NULL,
        content text NOT NULL,
        polygon jsonb NOT NULL,
        confidence real,
        line int NOT NULL,
        char_start int NOT NULL,
        char_end int NOT NULL,
        PRIMARY KEY (page_id, idx)
      )`);
    for (let after: string | null = null; ;) {
      const pages: { id: string; document_id: string; content: string; words: Buffer }[] = await q.query(
        `SELECT id, document_id, content, words FROM pages WHERE $1::uuid IS NULL OR id > $1 ORDER BY id LIMIT $2`,
        [after, BATCH_PAGES],
      );
      if (pages.length === 0) break;
      const rows = pages.flatMap((p) =>
        decodePageWords(p.words, p.content).map((w: PageWord, idx) => ({
          ...w,
          idx,
          pageId: p.id,
          documentId: p.document_id,
        })),
      );
      await q.query(
        `INSERT INTO words (page_id, idx, document_id, content, polygon, confidence, line, char_start, char_end)
         SELECT t.page_id, t.idx, t.document_id, t.content, t.polygon::jsonb, t.confidence, t.line, t.s, t.e
         FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::real[], $7::int[], $8::int[], $9::int[])
           AS t(page_id, idx, document_id, content, polygon, confidence, line, s, e)`,
        [
          rows.map((w) => w.pageId),
          rows.map((w) => w.idx),
          rows.map((w) => w.documentId),
          rows.map((w) => w.content),
          rows.map((w) => JSON.stringify(w.polygon)),
          rows.map((w) => w.confidence),
          rows.map((w) => w.line),
          rows.map((w) => w.charStart),
          rows.map((w) => w.charEnd),
        ],
      );
      after = pages[pages.length - 1].id;
    }
    await q.query(`CREATE INDEX ix_words_page_char_end ON words (page_id, char_end)`);
    await q.query(`CREATE INDEX ix_words_document ON words (document_id)`);
    await q.query(`ALTER TABLE pages DROP COLUMN words`);
  }
}
