/**
 * `npm run eval -- --data <dir> [--url http://localhost:3000] [--api-key KEY] [--out report.json]`
 *
 * Measures search quality as an archivist meets it: uploads every page of a folder in the format
 * of shared/data/scans-dev (image + JSON ground truth) through the REST API, waits for
 * processing, searches each ground-truth word inside its document and scores page recall,
 * highlight boxes against ground-truth boxes, stray highlights, OCR word accuracy and seconds
 * per page — per dataset and in total — as JSON.
 */
import { DevScan, loadDevScans, RectoHttpClient, ScanScore, scoreScan, totals } from '@recto/testing';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

type Doc = { id: string; status: string; error: unknown };
type Hit = { page: number; highlights: { content: string; polygon: [number, number][] }[] };
type Page = { page: { words: { content: string; polygon: [number, number][] }[] } };

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    url: { type: 'string', default: 'http://localhost:3000' },
    'api-key': { type: 'string' },
    out: { type: 'string' },
    language: { type: 'string', default: 'auto' },
  },
});

function languageHint(scan: DevScan, mode: string): Record<string, string> {
  if (mode === 'none') return {};
  if (mode !== 'auto') return { language: mode };
  return { language: scan.language.startsWith('de') ? 'deu' : scan.language.startsWith('fr') ? 'fra' : 'eng' };
}

async function main(): Promise<void> {
  if (!values.data) throw new Error('Usage: npm run eval -- --data <dir> [--url URL] [--api-key KEY] [--out FILE]');
  const client = new RectoHttpClient(values.url!.replace(/\/+$/, ''), values['api-key']);
  const scans = loadDevScans(values.data);
  const started = Date.now();
  const ids = new Map<string, string>();
  for (const scan of scans) {
    const res = await client.upload(
      await readFile(scan.imagePath),
      `${scan.name}.png`,
      languageHint(scan, values.language!),
    );
    if (res.status !== 202 && res.status !== 200)
      throw new Error(`${scan.name}: ${res.status} ${JSON.stringify(res.body)}`);
    ids.set(scan.name, (res.body.document as Doc).id);
  }
  const failed: Record<string, unknown> = {};
  for (const [name, id] of ids) {
    const doc = (await client.waitProcessed(id)) as unknown as Doc;
    if (doc.status !== 'Processed') failed[name] = doc.error;
  }
  const seconds = (Date.now() - started) / 1000;

  const scores: ScanScore[] = [];
  for (const scan of scans) {
    const id = ids.get(scan.name)!;
    const page = await client.get<Page>(`/v1/documents/${id}/pages/1`);
    const words = page.status === 200 ? page.body.page.words : [];
    scores.push(
      await scoreScan(
        scan,
        async (word) => {
          const res = await client.get<{ hits: Hit[] }>(`/v1/documents/${id}/search?q=${encodeURIComponent(word)}`);
          return res.body.hits?.find((h) => h.page === 1)?.highlights ?? null;
        },
        words,
      ),
    );
  }

  const datasets = [...new Set(scores.map((s) => s.dataset))];
  const report = {
    data: values.data,
    url: values.url,
    measured_at: new Date().toISOString(),
    pages: scans.length,
    failed,
    seconds_per_page_wall: Math.round((seconds / Math.max(1, scans.length)) * 100) / 100,
    datasets: Object.fromEntries(datasets.map((d) => [d, totals(scores.filter((s) => s.dataset === d))])),
    total: totals(scores),
    per_page: scores,
  };
  const json = JSON.stringify(report, null, 2);
  if (values.out) await writeFile(values.out, json + '\n');
  console.log(json);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
