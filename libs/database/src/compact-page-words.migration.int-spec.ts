/**
 * The compact-words migration on real Postgres, both ways: rows of the old `words` table move
 * into `pages.words` and read back through the repository at the promised precision; `down`
 * rebuilds the old table (and its indexes) with the same words.
 */
import { createTestDatabase, runMigrationStep, TestDatabase } from '@recto/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CompactPageWords1766700000000 } from '../../../migrations/1766700000000-compact-page-words';
import { roundCoordinate } from './codecs/page-words.codec';
import { dataSourceOptions } from './data-source-options';
import { NewPage, PageRepository } from './repositories/page.repository';

let db: TestDatabase;
let dataSource: DataSource;
let pages: PageRepository;
const migration = new CompactPageWords1766700000000();

beforeAll(async () => {
  db = await createTestDatabase('compact_words_migration');
  dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
  pages = new PageRepository(dataSource);
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

const migrate = (direction: 'up' | 'down') => runMigrationStep(dataSource, migration, direction);

async function newDocument(): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO documents (id, tenant_id, filename, mime_type, size_bytes, sha256, storage_key, status, ocr_provider)
     VALUES ($1, 'acme', 'scan.png', 'image/png', 1, $2, $3, 'Processing', 'local')`,
    [id, randomBytes(32).toString('hex'), `originals/${id}`],
  );
  return id;
}

const PAGE: NewPage = {
  number: 1,
  width: 2480,
  height: 3508,
  content: 'Quick brown\nentstehen 😀',
  source: 'ocr',
  words: [
    { content: 'Quick', polygon: box(0.11, 0.2, 0.05, 0.02), confidence: 0.96, line: 0, charStart: 0, charEnd: 5 },
    { content: 'brown', polygon: box(0.17, 0.2, 0.06, 0.02), confidence: null, line: 0, charStart: 6, charEnd: 11 },
    { content: 'ent-', polygon: box(0.9, 0.2, 0.04, 0.02), confidence: 0.5, line: 0, charStart: 12, charEnd: 15 },
    { content: 'stehen', polygon: box(0.1, 0.23, 0.07, 0.02), confidence: 0.81, line: 1, charStart: 15, charEnd: 21 },
    { content: '😀', polygon: box(0.2, 0.23, 0.01, 0.01), confidence: 0.3, line: 1, charStart: 22, charEnd: 24 },
  ],
};

function box(x: number, y: number, w: number, h: number): [number, number][] {
  return [
    [x, y],
    [x + w, y],
    [x + w, y + h],
    [x, y + h],
  ];
}

const oldRows = (pageId: string) =>
  dataSource.query(
    `SELECT idx, document_id, content, polygon, confidence, line, char_start, char_end FROM words
     WHERE page_id = $1 ORDER BY idx`,
    [pageId],
  );

it('moves words rows into the page row and back, keeping every word', async () => {
  const documentId = await newDocument();
  const [page] = await pages.replaceDocumentPages(documentId, [PAGE]);
  const compact = await pages.findWords(page.id);
  expect(compact.map((w) => w.content)).toEqual(['Quick', 'brown', 'ent-', 'stehen', '😀']);

  await migrate('down');
  const { rows } = { rows: await oldRows(page.id) };
  expect(rows).toEqual(
    compact.map((w) => ({
      idx: w.idx,
      document_id: documentId,
      content: w.content,
      polygon: w.polygon,
      confidence: w.confidence,
      line: w.line,
      char_start: w.charStart,
      char_end: w.charEnd,
    })),
  );
  const indexes: { indexname: string }[] = await dataSource.query(
    `SELECT indexname FROM pg_indexes WHERE tablename = 'words' ORDER BY indexname`,
  );
  expect(indexes.map((i) => i.indexname)).toEqual(['ix_words_document', 'ix_words_page_char_end', 'words_pkey']);

  // A page written by the old code, at full precision, and one without words.
  const oldPageId = randomUUID();
  const emptyPageId = randomUUID();
  await dataSource.query(
    `INSERT INTO pages (id, document_id, number, width, height, content, source)
     VALUES ($1, $3, 2, 100, 100, 'Old text', 'ocr'), ($2, $3, 3, 100, 100, '', 'ocr')`,
    [oldPageId, emptyPageId, documentId],
  );
  const precise = box(0.1234567, 0.6543214, 0.0333333, 0.0111111);
  await dataSource.query(
    `INSERT INTO words (page_id, idx, document_id, content, polygon, confidence, line, char_start, char_end)
     VALUES ($1, 0, $2, 'Old', $3::jsonb, 0.987654, 0, 0, 3), ($1, 1, $2, 'text', $3::jsonb, NULL, 0, 4, 8)`,
    [oldPageId, documentId, JSON.stringify(precise)],
  );

  await migrate('up');
  const tables: { n: number }[] = await dataSource.query(
    `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'words'`,
  );
  expect(tables[0].n).toBe(0);
  expect(await pages.findWords(page.id)).toEqual(compact);
  expect(await pages.findWords(emptyPageId)).toEqual([]);
  const moved = await pages.findWords(oldPageId);
  const roundedBox = precise.map(([x, y]) => [roundCoordinate(x), roundCoordinate(y)]);
  expect(moved).toEqual([
    expect.objectContaining({ content: 'Old', polygon: roundedBox, confidence: 0.99, charStart: 0, charEnd: 3 }),
    expect.objectContaining({ content: 'text', polygon: roundedBox, confidence: null, charStart: 4, charEnd: 8 }),
  ]);
  expect(roundedBox[0]).toEqual([0.123457, 0.654321]);
  const [hit] = await pages.findHitPages('acme', [oldPageId], [{ pageId: oldPageId, start: 5, end: 6 }]);
  expect(hit.words).toEqual([{ content: 'text', polygon: roundedBox, line: 0, charStart: 4, charEnd: 8 }]);
});
