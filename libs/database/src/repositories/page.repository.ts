import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { TextMatch } from '@recto/common';
import { matchedWords } from '../codecs/matched-words';
import { decodePageWords, encodePageWords } from '../codecs/page-words.codec';
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

/** A hit page as read (PageRepository.findHitPageRows): its words still encoded. */
export interface HitPageRow extends Omit<HitPage, 'words'> {
  /** Null unless asked for (`withText`). */
  content: string | null;
  words: Buffer | null;
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
 * One row per hit page: its words are one value of the page row (page-words.codec), decoded here
 * for the pages that have matched ranges only, with the one overlap rule (mapMatchesToWords, coverageOf).
 */
const HIT_PAGES_SQL = `
  SELECT p.id, p.number, p.width, p.height, d.id AS document_id, d.filename, d.alias,
         CASE WHEN p.id = ANY($3::uuid[]) THEN p.content END AS content,
         CASE WHEN p.id = ANY($3::uuid[]) THEN p.words END AS words
  FROM pages p
  JOIN documents d ON d.id = p.document_id
  WHERE p.id = ANY($1::uuid[]) AND d.tenant_id = $2`;

/** How PageRepository may talk to Postgres (DatabaseModule derives it from DATABASE_POOLER). */
export interface PageRepositoryOptions {
  /**
   * Name the hit statement, so each session plans it once. Not behind a transaction pooler: the
   * statement lives in one server session while the client's next query may run in another.
   */
  namedStatements: boolean;
}

export const PAGE_REPOSITORY_OPTIONS = 'PAGE_REPOSITORY_OPTIONS';

/** Trimmed from both ends of a word before it becomes an autocomplete term. */
const TERM_PUNCTUATION = new Set(`.,;:!?()[]"'`);

@Injectable()
export class PageRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional()
    @Inject(PAGE_REPOSITORY_OPTIONS)
    private readonly options: PageRepositoryOptions = { namedStatements: true },
  ) {}

  /**
   * Replaces every page and word of a document in one transaction (idempotent re-runs of OCR).
   * `inTransaction` runs inside the same transaction so callers can tie other row changes to it.
   */
  async replaceDocumentPages(
    documentId: string,
    pages: NewPage[],
    inTransaction?: (manager: EntityManager) => Promise<void>,
    quality: DocumentQuality = { quality: null, reason: null },
  ): Promise<PageEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.replaceInTransaction(manager, documentId, pages, quality);
      if (inTransaction) await inTransaction(manager);
      return saved;
    });
  }

  /** The body of replaceDocumentPages, for a caller that owns the transaction. */
  async replaceInTransaction(
    manager: EntityManager,
    documentId: string,
    pages: NewPage[],
    quality: DocumentQuality = { quality: null, reason: null },
  ): Promise<PageEntity[]> {
    // Serialise writers of one document (a retried job racing a stalled one).
    await manager.query('SELECT id FROM documents WHERE id = $1 FOR UPDATE', [documentId]);
    await manager.query('DELETE FROM pages WHERE document_id = $1', [documentId]);
    const saved: PageEntity[] = pages.map((page) =>
      Object.assign(new PageEntity(), {
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
      }),
    );
    if (saved.length > 0) {
      // All pages in one round trip, each page's words as one compact value.
      await manager.query(
        `INSERT INTO pages (id, document_id, number, width, height, content, source, words,
                            rotation, deskew_degrees, upscale, mean_confidence, quality, quality_reason)
         SELECT t.id, $1, t.number, t.width, t.height, t.content, t.source, t.words,
                t.rotation, t.deskew_degrees, t.upscale, t.mean_confidence, t.quality, t.quality_reason
         FROM unnest($2::uuid[], $3::int[], $4::int[], $5::int[], $6::text[], $7::text[], $8::bytea[],
                     $9::smallint[], $10::real[], $11::real[], $12::real[], $13::text[], $14::text[])
           AS t(id, number, width, height, content, source, words,
                rotation, deskew_degrees, upscale, mean_confidence, quality, quality_reason)`,
        [
          documentId,
          saved.map((p) => p.id),
          saved.map((p) => p.number),
          saved.map((p) => p.width),
          saved.map((p) => p.height),
          saved.map((p) => p.content),
          saved.map((p) => p.source),
          pages.map((p) => encodePageWords(p.words, p.content)),
          saved.map((p) => p.rotation),
          saved.map((p) => p.deskewDegrees),
          saved.map((p) => p.upscale),
          saved.map((p) => p.meanConfidence),
          saved.map((p) => p.quality),
          saved.map((p) => p.qualityReason),
        ],
      );
    }
    await manager.query(
      `UPDATE documents SET page_count = $2, pages_done = $2, quality = $3, quality_reason = $4, updated_at = now()
       WHERE id = $1`,
      [documentId, pages.length, quality.quality, quality.reason],
    );
    return saved;
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
    const matchesByPage = new Map<string, TextMatch[]>();
    for (const r of ranges) {
      const list = matchesByPage.get(r.pageId) ?? [];
      list.push({ start: r.start, length: r.end - r.start });
      matchesByPage.set(r.pageId, list);
    }
    const rows = await this.findHitPageRows(tenantId, pageIds, [...matchesByPage.keys()]);
    return rows.map(({ content, words, ...page }) => ({
      ...page,
      words: matchedWords({ content, words }, matchesByPage.get(page.pageId) ?? []),
    }));
  }

  /**
   * The same statement, undecoded: each page's facts, and for the pages in `withText` its text and
   * encoded words, for a caller that finds the matches on the text itself (matchedWords decodes).
   */
  async findHitPageRows(tenantId: string, pageIds: string[], withText: string[] = pageIds): Promise<HitPageRow[]> {
    if (pageIds.length === 0) return [];
    // Not through TypeORM: its query() cannot name a statement, and naming it lets Postgres plan once per connection
    // (unnamed behind a transaction pooler, options.namedStatements).
    // A replica (DATABASE_REPLICA_URL) takes it when there is one: a page it has not replayed yet is dropped
    // as a deleted one would be, and the engine indexes a page only after its commit.
    const driver = this.dataSource.driver as PostgresDriver;
    const pool = (driver.slaves[0] ?? driver.master) as Pool;
    const { rows } = await pool.query<{
      id: string;
      number: number;
      width: number | null;
      height: number | null;
      document_id: string;
      filename: string;
      alias: string | null;
      content: string | null;
      words: Buffer | null;
    }>({
      name: this.options.namedStatements ? 'recto_search_hit_pages_v2' : undefined,
      text: HIT_PAGES_SQL,
      values: [pageIds, tenantId, withText],
    });
    return rows.map((r) => ({
      pageId: r.id,
      number: r.number,
      width: r.width,
      height: r.height,
      documentId: r.document_id,
      filename: r.filename,
      alias: r.alias,
      content: r.content,
      words: r.words,
    }));
  }

  async findWords(pageId: string): Promise<WordEntity[]> {
    const rows: { document_id: string; content: string; words: Buffer }[] = await this.dataSource.query(
      'SELECT document_id, content, words FROM pages WHERE id = $1',
      [pageId],
    );
    if (rows.length === 0) return [];
    const [row] = rows;
    return decodePageWords(row.words, row.content).map((w, idx) => ({
      pageId,
      documentId: row.document_id,
      idx,
      ...w,
    }));
  }

  /** Distinct words of a document starting with a prefix (case-insensitive), most frequent first. */
  async termsWithPrefix(documentId: string, prefix: string, limit: number): Promise<{ term: string; count: number }[]> {
    const lowered = prefix.toLowerCase();
    const rows: { content: string; words: Buffer }[] = await this.dataSource.query(
      'SELECT content, words FROM pages WHERE document_id = $1',
      [documentId],
    );
    const counts = new Map<string, number>();
    for (const row of rows) {
      for (const word of decodePageWords(row.words, row.content)) {
        if (!word.content.toLowerCase().startsWith(lowered)) continue;
        const term = trimPunctuation(word.content).toLowerCase();
        if (term.length > 0) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
    }
    return [...counts]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([term, count]) => ({ term, count }));
  }
}

function trimPunctuation(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && TERM_PUNCTUATION.has(word[start])) start++;
  while (end > start && TERM_PUNCTUATION.has(word[end - 1])) end--;
  return word.slice(start, end);
}
