/**
 * The deferred-files migration on real Postgres, both ways: after `up` a document can be recorded
 * without its file and an OCR file placed on a page; `down` drops the imports that never got their
 * file (the old schema cannot hold them) and restores the NOT NULL, keeping every other document.
 */
import { createTestDatabase, runMigrationStep, TestDatabase } from '@recto/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DeferredFiles1766900000000 } from '../../../migrations/1766900000000-deferred-files';
import { dataSourceOptions } from './data-source-options';

let db: TestDatabase;
let dataSource: DataSource;
const migration = new DeferredFiles1766900000000();

beforeAll(async () => {
  db = await createTestDatabase('deferred_files_migration');
  dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

const migrate = (direction: 'up' | 'down') => runMigrationStep(dataSource, migration, direction);

async function newDocument(storageKey: string | null): Promise<string> {
  const id = randomUUID();
  await dataSource.query(
    `INSERT INTO documents (id, tenant_id, filename, mime_type, size_bytes, sha256, storage_key, status, ocr_provider)
     VALUES ($1, 'acme', 'book.tif', 'image/tiff', 0, $2, $3, 'Processing', 'local')`,
    [id, randomBytes(32).toString('hex'), storageKey],
  );
  return id;
}

const nullable = async (table: string, column: string): Promise<string | undefined> =>
  (
    await dataSource.query(
      `SELECT is_nullable FROM information_schema.columns WHERE table_name = $1 AND column_name = $2`,
      [table, column],
    )
  )[0]?.is_nullable;

it('lets a document wait for its file, and goes back without the documents that never got one', async () => {
  // Applied by createTestDatabase, like every migration.
  expect(await nullable('documents', 'storage_key')).toBe('YES');
  expect(await nullable('ocr_files', 'page_number')).toBe('YES');
  const pending = await newDocument(null);
  const attached = await newDocument('originals/acme/ab/abc');

  await migrate('down');
  expect(await nullable('documents', 'storage_key')).toBe('NO');
  expect(await nullable('ocr_files', 'page_number')).toBeUndefined();
  const left: { id: string }[] = await dataSource.query(`SELECT id FROM documents`);
  expect(left.map((r) => r.id)).toEqual([attached]);
  expect(left.map((r) => r.id)).not.toContain(pending);
  await expect(newDocument(null)).rejects.toThrow(/null value in column "storage_key"/);

  await migrate('up');
  expect(await nullable('documents', 'storage_key')).toBe('YES');
  await expect(newDocument(null)).resolves.toBeDefined();
});
