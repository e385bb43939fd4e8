/**
 * Evidence for importing existing OCR on real files: imports a folder of ALTO / hOCR / PAGE files
 * (and images with their sidecars) with the built `recto import` CLI into the built api and worker,
 * then, per file, compares what Recto stored and finds with what the file says:
 *
 * - words in the file (counted by `wordsInOcrFile`, a regular-expression reading independent of the
 *   parsers), words the parser reads, words stored (GET …/pages/n);
 * - geometry: each stored word against the same word in the file (sequences aligned by text),
 *   IoU of the stored polygon's box and the file's box (an ALTO Shape's bounds where it has one);
 * - search: distinct words of the page (at most --sample per file, spread over the page; parts of
 *   words hyphenated across lines left out, since the index holds them joined) searched inside the
 *   document; a word is found when a highlight lies on one of its boxes in the file (IoU ≥ 0.5),
 *   and the best highlight IoU per word is reported;
 * - failures with the API's reason.
 *
 *   npm run build && npx tsx scripts/ocr-import-evidence.ts [--data ../shared/data/ocr-formats-dev] [--sample 300] [--json out.json]
 *
 * Prints a Markdown table (docs/ocr-import.md holds the one measured last) and writes the figures
 * as JSON with --json.
 */
import { parseOcrFile } from '@recto/ocr-formats';
import {
  alignWords,
  comparableWord,
  iou,
  polygonToBox,
  startRectoStack,
  wordsInOcrFile,
  type Box,
} from '@recto/testing';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(__dirname, '..');
const CLI = resolve(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

type Polygon = [number, number][];
interface StoredPage {
  width: number;
  height: number;
  words: { content: string; polygon: Polygon; confidence: number | null }[];
}
interface CliFile {
  path: string;
  ocr: string | null;
  outcome: string;
  status: string | null;
  document_id: string | null;
  error: string | null;
  page_count?: number | null;
}

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(ROOT, '..', 'shared', 'data', 'ocr-formats-dev') },
    sample: { type: 'string', default: '300' },
    json: { type: 'string' },
  },
});

const relBox = (polygon: Polygon): Box => polygonToBox(polygon, 1, 1);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
const HYPHEN_END = /[-\u00AD\u2010¬⸗=]$/u;

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 3_600_000 },
      (error, stdout, stderr) =>
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** `count` items spread evenly over the list (all of them when it is shorter). */
function spread<T>(items: T[], count: number): T[] {
  if (count <= 0 || items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)]);
}

async function main() {
  const data = resolve(values.data!);
  if (!existsSync(data)) {
    console.error(`no data at ${data} (pass --data DIR: a folder of ALTO/hOCR/PAGE files, images beside them)`);
    process.exit(2);
  }
  if (!existsSync(CLI)) {
    console.error('the CLI is not built: npm run build first');
    process.exit(2);
  }
  const sample = Number(values.sample);
  // Thousands of searches in a row: the per-key throttle would answer 429.
  const stack = await startRectoStack('ocr-import-evidence', { THROTTLE_LIMIT: '0' });
  const rows: Record<string, unknown>[] = [];
  try {
    const env = { RECTO_URL: stack.client.baseUrl };
    const run = await cli(['import', data, '--ocr-only', '--wait', '--json', '--concurrency', '2'], env);
    if (!run.stdout.trim()) throw new Error(`recto import printed nothing (exit ${run.code}):\n${run.stderr}`);
    const report = JSON.parse(run.stdout) as { files: CliFile[]; unpaired_ocr: string[]; summary: unknown };
    for (const file of report.files) {
      const ocrPath = file.ocr ?? file.path;
      const image = file.ocr && file.ocr !== file.path ? basename(file.path) : null;
      const row: Record<string, unknown> = { file: relative(data, ocrPath), image };
      rows.push(row);
      const bytes = await readFile(ocrPath);
      const inFile = wordsInOcrFile(bytes);
      row.words_in_file = inFile.pages.reduce((n, p) => n + p.words.length, 0);
      try {
        const parsed = parseOcrFile(bytes);
        Object.assign(row, {
          format: parsed.format,
          unit: parsed.pages[0]?.unit,
          pages: parsed.pages.length,
          words_parsed: parsed.pages.reduce((n, p) => n + p.words.length, 0),
        });
      } catch (err) {
        row.parse_error = (err as Error).message;
      }
      if (file.status !== 'Processed' || !file.document_id) {
        row.failure = file.error ?? file.status ?? file.outcome;
        continue;
      }
      const id = file.document_id;
      const stored: StoredPage[] = [];
      for (let n = 1; n <= (file.page_count ?? inFile.pages.length); n++) {
        stored.push((await stack.client.get<{ page: StoredPage }>(`/v1/documents/${id}/pages/${n}`)).body.page);
      }
      row.words_stored = stored.reduce((n, p) => n + p.words.length, 0);
      const geometry: number[] = [];
      const highlightIous: number[] = [];
      let searched = 0;
      let found = 0;
      const missed: string[] = [];
      for (const [p, page] of stored.entries()) {
        const fileWords = inFile.pages[p]?.words ?? [];
        for (const [i, j] of alignWords(fileWords, page.words)) {
          geometry.push(iou(fileWords[i].box, relBox(page.words[j].polygon)));
        }
        // Searchable words: whole words (not a hyphenation's halves), distinct, spread over the page.
        const candidates = new Map<string, string>();
        page.words.forEach((w, k) => {
          const previous = page.words[k - 1];
          if (HYPHEN_END.test(w.content) || (previous && HYPHEN_END.test(previous.content))) return;
          const query = w.content.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
          if (/[\p{L}\p{N}]/u.test(query) && !candidates.has(comparableWord(query))) {
            candidates.set(comparableWord(query), query);
          }
        });
        const perPage = Math.max(1, Math.round(sample / stored.length));
        for (const query of spread([...candidates.values()], perPage)) {
          const key = comparableWord(query);
          const boxes = fileWords
            .filter((w) => comparableWord(w.content.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')) === key)
            .map((w) => w.box);
          const res = await stack.client.get<{ hits: { page: number; highlights: { polygon: Polygon }[] }[] }>(
            `/v1/documents/${id}/search?q=${encodeURIComponent(query)}&limit=50`,
          );
          if (res.status !== 200) throw new Error(`search "${query}": ${res.status} ${JSON.stringify(res.body)}`);
          const onPage = res.body.hits.filter((h) => h.page === p + 1).flatMap((h) => h.highlights);
          const best = Math.max(0, ...onPage.flatMap((h) => boxes.map((b) => iou(b, relBox(h.polygon)))));
          searched++;
          if (best >= 0.5) {
            found++;
            highlightIous.push(best);
          } else {
            missed.push(
              `${query} (page ${p + 1}: ${onPage.length ? `${onPage.length} highlight(s), none on the word, best IoU ${best.toFixed(2)}` : 'no hit'})`,
            );
          }
        }
      }
      Object.assign(row, {
        geometry: {
          compared: geometry.length,
          mean_iou: mean(geometry),
          min_iou: Math.min(...geometry),
          share_at_least_0_9: geometry.filter((x) => x >= 0.9).length / (geometry.length || 1),
        },
        search: {
          searched,
          found,
          mean_highlight_iou: mean(highlightIous),
          min_highlight_iou: highlightIous.length ? Math.min(...highlightIous) : NaN,
          missed,
        },
      });
    }
    const out = {
      data,
      measured: new Date().toISOString(),
      cli_summary: report.summary,
      unpaired_ocr: report.unpaired_ocr,
      files: rows,
    };
    if (values.json) await writeFile(values.json, JSON.stringify(out, null, 2));
    console.log(markdown(rows));
  } finally {
    await stack.stop();
  }
}

function markdown(rows: Record<string, unknown>[]): string {
  const lines = [
    '| file | format, unit | image | pages | words in file / parsed / stored | stored vs file IoU: mean, min, ≥ 0.9 | searched words found | highlight IoU: mean, min | failure |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const g = r.geometry as { mean_iou: number; min_iou: number; share_at_least_0_9: number } | undefined;
    const s = r.search as
      { searched: number; found: number; mean_highlight_iou: number; min_highlight_iou: number } | undefined;
    lines.push(
      `| \`${r.file}\` | ${r.format ?? '?'}, ${r.unit ?? '?'} | ${r.image ? `\`${r.image}\`` : '–'} | ${r.pages ?? '?'} | ` +
        `${r.words_in_file} / ${r.words_parsed ?? '–'} / ${r.words_stored ?? '–'} | ` +
        (g ? `${f3(g.mean_iou)}, ${f3(g.min_iou)}, ${(g.share_at_least_0_9 * 100).toFixed(1)} %` : '–') +
        ` | ${s ? `${s.found} / ${s.searched}` : '–'} | ${s ? `${f3(s.mean_highlight_iou)}, ${f3(s.min_highlight_iou)}` : '–'} | ` +
        `${r.failure ?? r.parse_error ?? ''} |`,
    );
  }
  return lines.join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
