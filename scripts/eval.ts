/**
 * `npm run eval -- --data <dir> [--url http://localhost:3000] [--api-key KEY] [--out report.json]`
 *
 * Measures search quality as an archivist meets it: uploads every page of a folder in the format
 * of shared/data/scans-dev (image + JSON ground truth) through the REST API, waits for
 * processing, searches each ground-truth word inside its document and scores page recall,
 * highlight boxes against ground-truth boxes, stray highlights, OCR word accuracy and seconds
 * per page — per dataset and in total — as JSON.
 *
 * `--variants all` (or e.g. `rot180,skew+3`) also uploads the pages turned 90/180/270° and skewed
 * ±3°/±6° (made here, ground truth turned the same way) and reports each beside upright.
 * `--params typos=0 --params 'typos=0&prefix=false'` scores the same uploads again with those
 * search parameters added, reported under `by_search_params` (e.g. stray highlights per `typos`).
 */
import { evaluateVariants } from './eval-variants';
import {
  DevScan,
  loadDevScans,
  SCAN_VARIANTS,
  normaliseWord,
  RectoHttpClient,
  ScanScore,
  scoreScan,
  totals,
} from '@recto/testing';
import { join } from 'node:path';
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
    'draw-dir': { type: 'string' },
    'draw-query': { type: 'string', multiple: true },
    variants: { type: 'string' },
    params: { type: 'string', multiple: true },
  },
});

/**
 * Draws the highlights of some queries over the page image (red: returned polygons, green:
 * ground-truth boxes of the queried word), so that a person can look at where the boxes land.
 */
async function drawHighlights(
  scan: DevScan,
  highlights: Hit['highlights'],
  queried: string[],
  out: string,
): Promise<void> {
  const { default: sharp } = await import('sharp');
  const rel = (p: [number, number][]) => p.map(([x, y]) => `${x * scan.width},${y * scan.height}`).join(' ');
  const truth = scan.words.filter((w) => queried.includes(normaliseWord(w.text)));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${scan.width}" height="${scan.height}">${truth
    .map(
      (w) =>
        `<rect x="${w.bbox[0]}" y="${w.bbox[1]}" width="${w.bbox[2] - w.bbox[0]}" height="${w.bbox[3] - w.bbox[1]}" fill="none" stroke="#0a0" stroke-width="3"/>`,
    )
    .join(
      '',
    )}${highlights.map((h) => `<polygon points="${rel(h.polygon)}" fill="rgba(255,0,0,0.25)" stroke="#d00" stroke-width="1.5"/>`).join('')}</svg>`;
  await sharp(scan.imagePath)
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toFile(out);
}

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

  const scoreAll = async (params: string): Promise<ScanScore[]> => {
    const scores: ScanScore[] = [];
    for (const scan of scans) {
      const id = ids.get(scan.name)!;
      const page = await client.get<Page>(`/v1/documents/${id}/pages/1`);
      const words = page.status === 200 ? page.body.page.words : [];
      scores.push(
        await scoreScan(
          scan,
          async (word) => {
            const res = await client.get<{ hits: Hit[] }>(
              `/v1/documents/${id}/search?q=${encodeURIComponent(word)}${params ? `&${params}` : ''}`,
            );
            if (res.status !== 200) throw new Error(`search ${params}: ${res.status} ${JSON.stringify(res.body)}`);
            return res.body.hits?.find((h) => h.page === 1)?.highlights ?? null;
          },
          words,
        ),
      );
    }
    return scores;
  };
  const byDataset = (scores: ScanScore[]) =>
    Object.fromEntries(
      [...new Set(scores.map((s) => s.dataset))].map((d) => [d, totals(scores.filter((s) => s.dataset === d))]),
    );
  const scores = await scoreAll('');
  const bySearchParams: Record<string, unknown> = {};
  for (const params of values.params ?? []) {
    const variant = await scoreAll(params);
    bySearchParams[params] = { datasets: byDataset(variant), total: totals(variant) };
  }

  if (values['draw-dir']) {
    const queries = values['draw-query']?.length
      ? values['draw-query']
      : ['date', 'number', 'confidential', 'facsimile'];
    for (const scan of scans.slice(0, 1)) {
      const id = ids.get(scan.name)!;
      const found: Hit['highlights'] = [];
      for (const q of queries) {
        const res = await client.get<{ hits: Hit[] }>(`/v1/documents/${id}/search?q=${encodeURIComponent(q)}`);
        found.push(...(res.body.hits?.find((h) => h.page === 1)?.highlights ?? []));
      }
      const out = join(values['draw-dir'], `highlights-${scan.name}.png`);
      await drawHighlights(scan, found, queries.map(normaliseWord), out);
      console.error(`drew ${found.length} highlights for ${queries.join(', ')} on ${out}`);
    }
  }

  const report = {
    data: values.data,
    url: values.url,
    measured_at: new Date().toISOString(),
    pages: scans.length,
    failed,
    seconds_per_page_wall: Math.round((seconds / Math.max(1, scans.length)) * 100) / 100,
    datasets: byDataset(scores),
    total: totals(scores),
    ...(values.params?.length ? { by_search_params: bySearchParams } : {}),
    per_page: scores,
  };
  if (values.variants) {
    const wanted = values.variants === 'all' ? Object.keys(SCAN_VARIANTS) : values.variants.split(',');
    Object.assign(
      report,
      await evaluateVariants(client, scans, wanted, (scan) => languageHint(scan, values.language!)),
    );
  }
  const json = JSON.stringify(report, null, 2);
  if (values.out) await writeFile(values.out, json + '\n');
  console.log(json);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
