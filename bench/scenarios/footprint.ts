import { freePort, startBuiltApp, startTestServices, waitFor, type RunningApp } from '@recto/testing';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { arg } from '../lib/args';
import { machineInfo, writeResult } from '../lib/results';
import { benchDist } from '../lib/stack';
import { round } from '../lib/stats';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Postgres bytes per page as the product writes them: real scans uploaded through the API, OCR'd by
 * the worker, and the growth of the page tables (with their TOAST and indexes) and of the whole
 * database measured around it. The upload is `npm run eval` itself, so the same run also gives the
 * dev-set quality report of that build (compare two builds with --dist).
 *
 *   npm run bench -- footprint --data <scans-dev dir> [--copies N] [--dist DIR] [--out eval.json]
 */
export async function footprintScenario(): Promise<void> {
  const data = arg('data');
  if (!data) throw new Error('--data <dir of dev scans> is required (e.g. ../shared/data/scans-dev)');
  const dist = arg('dist') ?? benchDist();
  const evalOut = arg('out', join(ROOT, 'bench', 'results', 'footprint-eval.json'));
  // --copies N: the scans uploaded once per tenant N times (each tenant keeps its own copy), so
  // that 8 KB page granularity and empty-index overhead do not dominate a 20-page sample.
  const copies = Number(arg('copies', '1'));
  const keys = Array.from({ length: copies }, (_, i) => `footprint-key-${i}-${process.pid}`);
  const services = await startTestServices('bench_footprint');
  const port = await freePort();
  const env = {
    ...services.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    API_KEYS: keys.map((k, i) => `${k}:tenant${i}`).join(','),
  };
  const apps: RunningApp[] = [];
  try {
    apps.push(startBuiltApp('worker', env, { dist }), startBuiltApp('api', env, { dist }));
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      'the api to be ready',
      async () => ((await fetch(`${baseUrl}/health/ready`).catch(() => null))?.status === 200 ? true : undefined),
      90_000,
    );
    const db = new Client({ connectionString: services.db.url });
    await db.connect();
    try {
      const before = await sizes(db);
      const started = Date.now();
      // Sizes after each copy: from the second copy on, the growth is what one more page costs,
      // without the empty tables' first pages (each index's root, the TOAST index) counted in.
      const afterCopy: Awaited<ReturnType<typeof sizes>>[] = [];
      for (const [i, key] of keys.entries()) {
        const out = i === 0 ? evalOut : join(tmpdir(), `recto-footprint-eval-${i}.json`);
        execFileSync(
          'npx',
          ['tsx', 'scripts/eval.ts', '--data', data, '--url', baseUrl, '--api-key', key, '--out', out],
          {
            cwd: ROOT,
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        // Let autovacuum-free numbers settle: what a page costs right after it was written.
        await db.query('CHECKPOINT');
        afterCopy.push(await sizes(db));
      }
      const seconds = (Date.now() - started) / 1000;
      const after = afterCopy[afterCopy.length - 1];
      let words = { pages: 0, words: 0 };
      for (const key of keys) {
        const counted = await wordCount(baseUrl, key);
        words = { pages: words.pages + counted.pages, words: words.words + counted.words };
      }
      const pagesBytes = after.pageTables - before.pageTables;
      const databaseBytes = after.database - before.database;
      const result = {
        dist,
        data,
        copies,
        pages: words.pages,
        words: words.words,
        wordsPerPage: round(words.words / words.pages, 1),
        textBytes: after.textBytes,
        tables: after.tables,
        parts: { before: before.parts, after: after.parts },
        pageTablesBytes: pagesBytes,
        databaseBytes,
        pageTablesBytesPerPage: Math.round(pagesBytes / words.pages),
        pageTablesBytesPer250WordPage: Math.round((pagesBytes / words.words) * 250),
        databaseBytesPer250WordPage: Math.round((databaseBytes / words.words) * 250),
        // Every copy holds the same pages and words: copies 2..N grow the tables by the marginal cost.
        pageTablesBytesAfterCopy: afterCopy.map((c) => c.pageTables - before.pageTables),
        ...(copies > 1
          ? {
              marginalPageTablesBytesPer250WordPage: Math.round(
                ((after.pageTables - afterCopy[0].pageTables) / (words.words * (1 - 1 / copies))) * 250,
              ),
            }
          : {}),
        evalSeconds: round(seconds, 1),
        evalReport: evalOut,
      };
      console.log(JSON.stringify(result, null, 2));
      console.log(`written ${writeResult(arg('name', 'footprint'), result, machineInfo())}`);
    } finally {
      await db.end();
    }
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await services.stop();
  }
}

/** Every table holding pages or words, with TOAST and indexes, whatever the schema version. */
async function sizes(db: Client) {
  const { rows } = await db.query<{ name: string; bytes: string; heap: string; toast: string; indexes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes, pg_relation_size(c.oid) AS heap,
            COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) AS toast, pg_indexes_size(c.oid) AS indexes
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname IN ('pages', 'words', 'page_words')`,
  );
  const { rows: database } = await db.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  const { rows: text } = await db.query<{ bytes: string | null }>(
    'SELECT sum(octet_length(content)) AS bytes FROM pages',
  );
  const tables = Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
  // Where the bytes are: the table itself, its TOAST (with its index), and its indexes.
  const parts = Object.fromEntries(
    rows.map((r) => [r.name, { heap: Number(r.heap), toast: Number(r.toast), indexes: Number(r.indexes) }]),
  );
  return {
    tables,
    parts,
    pageTables: Object.values(tables).reduce((a, b) => a + b, 0),
    database: Number(database[0].bytes),
    textBytes: Number(text[0].bytes ?? 0),
  };
}

/** Words per page as the API returns them (the page words endpoint), so both layouts count alike. */
async function wordCount(baseUrl: string, key: string): Promise<{ pages: number; words: number }> {
  const headers = { authorization: key };
  let pages = 0;
  let words = 0;
  let cursor: string | null = null;
  do {
    const res = await fetch(`${baseUrl}/v1/documents?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers });
    const body = (await res.json()) as {
      documents: { id: string; page_count: number | null }[];
      next_cursor: string | null;
    };
    for (const doc of body.documents) {
      for (let n = 1; n <= (doc.page_count ?? 0); n++) {
        const page = (await (await fetch(`${baseUrl}/v1/documents/${doc.id}/pages/${n}`, { headers })).json()) as {
          page: { words: unknown[] };
        };
        pages++;
        words += page.page.words.length;
      }
    }
    cursor = body.next_cursor;
  } while (cursor);
  return { pages, words };
}
