/**
 * The search hot path's one statement (findHitPages) on real Postgres: every word overlapping a
 * matched range and no other, for any range, checked against the plain definition of overlap.
 */
import { createTestDatabase, TestDatabase } from '@recto/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source-options';
import { NewPage, NewWord, PageRepository } from './page.repository';

let db: TestDatabase;
let dataSource: DataSource;
let pages: PageRepository;

beforeAll(async () => {
  db = await createTestDatabase('page_repository');
  dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
  pages = new PageRepository(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

/** Words laid out as the page-text builder does: in order, one space or newline apart. */
function layOut(texts: string[], perLine: number): { content: string; words: NewWord[] } {
  let content = '';
  const words: NewWord[] = texts.map((text, i) => {
    if (i > 0) content += i % perLine === 0 ? '\n' : ' ';
    const charStart = content.length;
    content += text;
    const x = (i % perLine) / perLine;
    return {
      content: text,
      polygon: [
        [x, 0.1],
        [x + 0.05, 0.1],
        [x + 0.05, 0.12],
        [x, 0.12],
      ],
      confidence: 0.9,
      line: Math.floor(i / perLine),
      charStart,
      charEnd: content.length,
    };
  });
  return { content, words };
}

async function storeDocument(tenantId: string, pageTexts: string[][]): Promise<{ id: string; pageIds: string[] }> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO documents (id, tenant_id, filename, mime_type, size_bytes, sha256, storage_key, status, ocr_provider)
     VALUES ($1, $2, $3, 'image/png', 1, $4, $5, 'Processing', 'local')`,
    [id, tenantId, `${id}.png`, randomBytes(32).toString('hex'), `originals/${id}`],
  );
  const newPages: NewPage[] = pageTexts.map((texts, i) => ({
    number: i + 1,
    width: 1000,
    height: 1400,
    source: 'ocr',
    ...layOut(texts, 7),
  }));
  const saved = await pages.replaceDocumentPages(id, newPages);
  return { id, pageIds: saved.map((p) => p.id) };
}

const TEXTS = [
  'Recto',
  'reads',
  'scanned',
  'pages,',
  '',
  'and',
  'a',
  'search',
  'finds',
  'every',
  'word',
  'on',
  'them:',
  'Müller,',
  'société',
  '😀',
  'ent',
  'stehen',
  'x',
  'long-hyphenated-compound',
  'end.',
];

describe('findHitPages', () => {
  it('returns exactly the words overlapping each range, for any range', async () => {
    const doc = await storeDocument('acme', [TEXTS, [...TEXTS].reverse()]);
    const stored = await Promise.all(doc.pageIds.map((id) => pages.findWords(id)));
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let trial = 0; trial < 60; trial++) {
      const ranges = Array.from({ length: 1 + random(4) }, () => {
        const page = random(2);
        const length = stored[page].at(-1)!.charEnd;
        const start = random(length + 1);
        return { pageId: doc.pageIds[page], start, end: Math.min(length + 3, start + random(14)) };
      });
      const hits = await pages.findHitPages('acme', doc.pageIds, ranges);
      expect(hits.map((h) => h.number).sort()).toEqual([1, 2]);
      for (const hit of hits) {
        const own = ranges.filter((r) => r.pageId === hit.pageId);
        const expected = stored[hit.number - 1].filter((w) =>
          own.some((r) => w.charEnd > r.start && w.charStart < r.end),
        );
        expect(hit.words.map((w) => [w.content, w.charStart, w.charEnd])).toEqual(
          expected.map((w) => [w.content, w.charStart, w.charEnd]),
        );
      }
    }
  });

  it('carries page size, document name, line and polygon of each word', async () => {
    const doc = await storeDocument('acme', [TEXTS]);
    const [hit] = await pages.findHitPages('acme', doc.pageIds, [{ pageId: doc.pageIds[0], start: 0, end: 5 }]);
    expect(hit).toMatchObject({ pageId: doc.pageIds[0], documentId: doc.id, number: 1, width: 1000, height: 1400 });
    expect(hit.filename).toBe(`${doc.id}.png`);
    expect(hit.alias).toBeNull();
    expect(hit.words).toEqual([
      {
        content: 'Recto',
        line: 0,
        charStart: 0,
        charEnd: 5,
        polygon: [
          [0, 0.1],
          [0.05, 0.1],
          [0.05, 0.12],
          [0, 0.12],
        ],
      },
    ]);
  });

  it("never returns another tenant's page, a deleted page, or words for a page without ranges", async () => {
    const mine = await storeDocument('acme', [TEXTS]);
    const theirs = await storeDocument('globex', [TEXTS]);
    const gone = await storeDocument('acme', [TEXTS]);
    await dataSource.query('DELETE FROM documents WHERE id = $1', [gone.id]);
    const hits = await pages.findHitPages(
      'acme',
      [...mine.pageIds, ...theirs.pageIds, ...gone.pageIds],
      [{ pageId: theirs.pageIds[0], start: 0, end: 5 }],
    );
    expect(hits.map((h) => h.pageId)).toEqual(mine.pageIds);
    expect(hits[0].words).toEqual([]);
    expect(await pages.findHitPages('acme', [], [])).toEqual([]);
  });
});
