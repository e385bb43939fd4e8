import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { PageEntity } from '../entities/page.entity';
import { Polygon, WordEntity } from '../entities/word.entity';

export interface NewWord {
  content: string;
  polygon: Polygon;
  confidence: number | null;
  line: number;
  charStart: number;
  charEnd: number;
}

export interface NewPage {
  number: number;
  width: number | null;
  height: number | null;
  content: string;
  source: string;
  words: NewWord[];
  /** What the engine did to the page and how well it read; absent → not turned, not judged. */
  rotation?: number;
  deskewDegrees?: number;
  upscale?: number | null;
  meanConfidence?: number | null;
  quality?: string | null;
  qualityReason?: string | null;
}

/** The document-level verdict written with its pages. */
export interface DocumentQuality {
  quality: string | null;
  reason: string | null;
}

/** A span of page text matched by the search engine, in UTF-16 offsets. */
export interface MatchedRange {
  pageId: string;
  start: number;
  end: number;
}

/** What a search hit shows of its page and document, read in one statement. */
export interface HitPage {
  pageId: string;
  number: number;
  width: number | null;
  height: number | null;
  documentId: string;
  filename: string;
  alias: string | null;
  /** In reading order. */
  words: MatchedWord[];
}

/** A word of a hit's page that overlaps a matched range. */
export interface MatchedWord {
  content: string;
  polygon: Polygon;
  line: number;
  charStart: number;
  charEnd: number;
}

/**
 * A page's words never overlap and follow each other in the text (page-text.builder), so the words
 * overlapping [s, e) are those ending in (s, e] plus, if it starts before e, the first one ending
 * after e: two tight index range scans on (page_id, char_end) per range, instead of every word
 * from s to the end of the page. Then one row per hit page, its words as JSON in reading order.
 */
const HIT_PAGES_SQL = `
  WITH matched AS (
    SELECT DISTINCT ON (w.page_id, w.idx) w.page_id, w.idx, w.content, w.polygon, w.line, w.char_start, w.char_end
    FROM unnest($3::uuid[], $4::int[], $5::int[]) AS r(page_id, s, e)
    CROSS JOIN LATERAL (
      SELECT w.page_id, w.idx, w.content, w.polygon, w.line, w.char_start, w.char_end FROM words w
      WHERE w.page_id = r.page_id AND w.char_end > r.s AND w.char_end <= r.e
      UNION ALL
      (SELECT w.page_id, w.idx, w.content, w.polygon, w.line, w.char_start, w.char_end FROM words w
       WHERE w.page_id = r.page_id AND w.char_end > r.e ORDER BY w.char_end LIMIT 1)
    ) w
    WHERE w.char_start < r.e AND w.char_end > r.s
    ORDER BY w.page_id, w.idx)
  SELECT p.id, p.number, p.width, p.height, d.id AS document_id, d.filename, d.alias, g.words
  FROM pages p
  JOIN documents d ON d.id = p.document_id
  LEFT JOIN (
    SELECT m.page_id,
           json_agg(json_build_array(m.content, m.polygon, m.line, m.char_start, m.char_end) ORDER BY m.idx) AS words
    FROM matched m GROUP BY m.page_id
  ) g ON g.page_id = p.id
  WHERE p.id = ANY($1::uuid[]) AND d.tenant_id = $2`;

@Injectable()
export class PageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Replaces every page and word of a document in one transaction (idempotent re-runs of OCR).
   * `onCommit` runs inside the same transaction so callers can tie other row changes to it.
   */
  async replaceDocumentPages(
    documentId: string,
    pages: NewPage[],
    inTransaction?: (manager: EntityManager) => Promise<void>,
    quality: DocumentQuality = { quality: null, reason: null },
  ): Promise<PageEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      // Serialise writers of one document (a retried job racing a stalled one).
      await manager.query('SELECT id FROM documents WHERE id = $1 FOR UPDATE', [documentId]);
      await manager.query('DELETE FROM pages WHERE document_id = $1', [documentId]);
      const saved: PageEntity[] = [];
      for (const page of pages) {
        const entity = manager.create(PageEntity, {
          id: randomUUID(),
          documentId,
          number: page.number,
          width: page.width,
          height: page.height,
          content: page.content,
          source: page.source,
          rotation: page.rotation ?? 0,
          deskewDegrees: page.deskewDegrees ?? 0,
          upscale: page.upscale ?? null,
          meanConfidence: page.meanConfidence ?? null,
          quality: page.quality ?? null,
          qualityReason: page.qualityReason ?? null,
        });
        await manager.insert(PageEntity, entity);
        await this.insertWords(manager, entity.id, documentId, page.words);
        saved.push(entity);
      }
      await manager.query(
        `UPDATE documents SET page_count = $2, pages_done = $2, quality = $3, quality_reason = $4, updated_at = now()
         WHERE id = $1`,
        [documentId, pages.length, quality.quality, quality.reason],
      );
      if (inTransaction) await inTransaction(manager);
      return saved;
    });
  }

  private async insertWords(manager: EntityManager, pageId: string, documentId: string, words: NewWord[]) {
    if (words.length === 0) return;
    // One round trip per page: arrays unnested server-side.
    await manager.query(
      `INSERT INTO words (page_id, idx, document_id, content, polygon, confidence, line, char_start, char_end)
       SELECT $1, t.idx, $2, t.content, t.polygon::jsonb, t.confidence, t.line, t.char_start, t.char_end
       FROM unnest($3::int[], $4::text[], $5::text[], $6::real[], $7::int[], $8::int[], $9::int[])
         AS t(idx, content, polygon, confidence, line, char_start, char_end)`,
      [
        pageId,
        documentId,
        words.map((_, i) => i),
        words.map((w) => w.content),
        words.map((w) => JSON.stringify(w.polygon)),
        words.map((w) => w.confidence),
        words.map((w) => w.line),
        words.map((w) => w.charStart),
        words.map((w) => w.charEnd),
      ],
    );
  }

  findPages(documentId: string): Promise<PageEntity[]> {
    return this.dataSource.getRepository(PageEntity).find({ where: { documentId }, order: { number: 'ASC' } });
  }

  findPage(documentId: string, number: number): Promise<PageEntity | null> {
    return this.dataSource.getRepository(PageEntity).findOneBy({ documentId, number });
  }

  /**
   * Pages without their text: search already has each hit's text from the engine, so reading it
   * again from Postgres for every hit only costs time on the hot path.
   */
  findPagesByIds(ids: string[]): Promise<Omit<PageEntity, 'content'>[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(PageEntity)
      .createQueryBuilder('p')
      .select(['p.id', 'p.documentId', 'p.number', 'p.width', 'p.height', 'p.source'])
      .where('p.id IN (:...ids)', { ids })
      .getMany();
  }

  /**
   * The pages of search hits, with their documents' names and the words overlapping the matched
   * ranges, for one tenant only: a page of another tenant, or one deleted since it was indexed, is
   * not returned. One prepared statement, because it runs on every search: each extra round trip,
   * each plan and each hydrated row cost more than the query itself (docs/benchmarks.md).
   */
  async findHitPages(tenantId: string, pageIds: string[], ranges: MatchedRange[]): Promise<HitPage[]> {
    if (pageIds.length === 0) return [];
    // Not through TypeORM: its query() cannot name a statement, and naming it lets Postgres plan once per connection.
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{
      id: string;
      number: number;
      width: number | null;
      height: number | null;
      document_id: string;
      filename: string;
      alias: string | null;
      words: [string, Polygon, number, number, number][] | null;
    }>({
      name: 'recto_search_hit_pages',
      text: HIT_PAGES_SQL,
      values: [pageIds, tenantId, ranges.map((r) => r.pageId), ranges.map((r) => r.start), ranges.map((r) => r.end)],
    });
    return rows.map((r) => ({
      pageId: r.id,
      number: r.number,
      width: r.width,
      height: r.height,
      documentId: r.document_id,
      filename: r.filename,
      alias: r.alias,
      words: (r.words ?? []).map(([content, polygon, line, charStart, charEnd]) => ({
        content,
        polygon,
        line,
        charStart,
        charEnd,
      })),
    }));
  }

  findWords(pageId: string): Promise<WordEntity[]> {
    return this.dataSource.getRepository(WordEntity).find({ where: { pageId }, order: { idx: 'ASC' } });
  }

  /** Distinct words of a document starting with a prefix (case-insensitive), most frequent first. */
  async termsWithPrefix(documentId: string, prefix: string, limit: number): Promise<{ term: string; count: number }[]> {
    const pattern = prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
    const rows: { term: string; count: string }[] = await this.dataSource.query(
      `SELECT lower(trim(both $4 from content)) AS term, count(*) AS count
       FROM words WHERE document_id = $1 AND lower(content) LIKE $2
       GROUP BY 1 HAVING length(lower(trim(both $4 from content))) > 0
       ORDER BY count(*) DESC, 1 LIMIT $3`,
      [documentId, pattern, limit, `.,;:!?()[]"'`],
    );
    return rows.map((r) => ({ term: r.term, count: Number(r.count) }));
  }
}
