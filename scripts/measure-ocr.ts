/**
 * Word recall and box accuracy of the local OCR adapter alone (no API, no search) on the
 * development scans, scored by the same scorer as `npm run eval`.
 *
 *   npx tsx scripts/measure-ocr.ts [--data DIR] [--only funsd|bebel] [--limit N]
 *     [--pool N] [--model best_int|standard] [--lowres-dpi N] [--max-scale N] [--psm 3|11]
 *     [--languages eng,deu] [--hint]
 *
 * --hint passes each page's language as the document hint (otherwise all configured languages
 * are loaded together, as for a document without a hint).
 */
import {
  DEFAULT_LOCAL_OCR_OPTIONS,
  DEFAULT_RESOLUTION_RULE,
  LocalOcrAdapter,
  type ResolutionRule,
  type SegmentationMode,
  type TesseractModel,
} from '@recto/ocr';
import { devScansDir, loadDevScans, scoreOcrPage, type OcrPageScore } from '@recto/testing';

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main() {
  const only = arg('only');
  let pages = loadDevScans(arg('data') ?? devScansDir()).filter(
    (scan) => !only || scan.name.startsWith(only === 'bebel' ? 'ocrd' : only),
  );
  const limit = arg('limit');
  if (limit) pages = pages.slice(0, Number(limit));
  const poolSize = Number(arg('pool') ?? 2);
  const rule: ResolutionRule = {
    ...DEFAULT_RESOLUTION_RULE,
    lowResDpi: Number(arg('lowres-dpi') ?? DEFAULT_RESOLUTION_RULE.lowResDpi),
    maxScale: Number(arg('max-scale') ?? DEFAULT_RESOLUTION_RULE.maxScale),
    psmOverride: arg('psm') as SegmentationMode | undefined,
  };
  const adapter = new LocalOcrAdapter(
    {
      languages: arg('languages')?.split(',') ?? DEFAULT_LOCAL_OCR_OPTIONS.languages,
      poolSize,
      model: (arg('model') ?? 'best_int') as TesseractModel,
    },
    rule,
  );
  const hint = process.argv.includes('--hint');
  console.log(`config: pool=${poolSize} model=${arg('model') ?? 'best_int'} hint=${hint}`, rule);

  const scores: { dataset: string; score: OcrPageScore; seconds: number }[] = [];
  const started = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < pages.length) {
      const scan = pages[next++];
      const t0 = Date.now();
      const result = await adapter.recognize({
        documentId: scan.name,
        filePath: scan.imagePath,
        mimeType: 'image/png',
        languages: hint ? [scan.language.startsWith('de') ? 'deu' : 'eng'] : undefined,
      });
      const seconds = (Date.now() - t0) / 1000;
      const score = scoreOcrPage(scan, result.pages[0].words);
      scores.push({ dataset: scan.dataset, score, seconds });
      console.log(
        `${scan.name.padEnd(40)} recall=${score.recall.toFixed(3)} ` +
          `iou50=${fmt(score.iou50)} iou30=${fmt(score.iou30)} inLine=${fmt(score.inLine)} ` +
          `words=${result.pages[0].words.length} ${seconds.toFixed(1)}s`,
      );
    }
  };
  await Promise.all(Array.from({ length: poolSize }, lane));
  const wall = (Date.now() - started) / 1000;
  await adapter.close();

  for (const dataset of [...new Set(scores.map((s) => s.dataset))]) {
    const group = scores.filter((s) => s.dataset === dataset);
    const sum = (pick: (s: OcrPageScore) => number) => group.reduce((total, s) => total + pick(s.score), 0);
    const gt = sum((s) => s.gtWords);
    const matched = group.some((s) => s.score.iou50 !== null);
    console.log(
      `${dataset}: pages=${group.length} recall=${(sum((s) => s.found) / gt).toFixed(3)} ` +
        `iou50=${matched ? (sum((s) => s.iou50Count) / gt).toFixed(3) : 'n/a'} ` +
        `iou30=${matched ? (sum((s) => s.iou30Count) / gt).toFixed(3) : 'n/a'} ` +
        `inLine=${fmt(
          sum((s) => s.inLineCount) /
            Math.max(
              1,
              sum((s) => s.inLineTotal),
            ),
        )} ` +
        `latency=${(group.reduce((t, s) => t + s.seconds, 0) / group.length).toFixed(2)}s/page`,
    );
  }
  console.log(
    `wall: ${wall.toFixed(1)}s for ${scores.length} pages = ${(wall / scores.length).toFixed(2)}s/page (pool ${poolSize})`,
  );
}

function fmt(value: number | null): string {
  return value === null || Number.isNaN(value) ? 'n/a' : value.toFixed(3);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
