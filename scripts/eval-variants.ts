/**
 * The dev pages turned and skewed as a scanner would have (SCAN_VARIANTS), made by the eval
 * itself with their ground truth turned the same way, scored beside the upright pages: page
 * recall and IoU per variant, their ratio to upright, and what the engine did (false turns on
 * upright pages, how far each skew was corrected).
 */
import {
  DevScan,
  makeScanVariant,
  RectoHttpClient,
  SCAN_VARIANTS,
  scoreScan,
  totals,
  turnScan,
  type DatasetTotals,
  type Highlight,
} from '@recto/testing';
import type { PageTurn, QuarterTurn } from '@recto/ocr';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ServedPage {
  width: number;
  height: number;
  rotated: number;
  deskewed_degrees: number;
  words: { content: string; polygon: [number, number][] }[];
}

export interface VariantReport {
  pages: number;
  failed: number;
  totals: DatasetTotals;
  /** Recall and IoU≥0.5 over the upright pages' (target ≥ 0.97). */
  ratioToUpright: { recall: number; iouAt50: number };
  /** How often the engine turned a page by each quarter. */
  rotations: Record<string, number>;
  /** Mean |scanner skew + engine deskew|, degrees: what was left of the skew. */
  meanResidualSkew: number;
  secondsPerPageWall: number;
}

export async function evaluateVariants(
  client: RectoHttpClient,
  scans: DevScan[],
  variants: string[],
  fields: (scan: DevScan) => Record<string, string>,
): Promise<{ variants: Record<string, VariantReport>; falseTurnsOnUpright: number; deskewedUpright: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'recto-eval-variants-'));
  const names = ['upright', ...variants.filter((v) => v !== 'upright')];
  const made: { variant: string; original: DevScan; scan: DevScan; id?: string; doc?: Record<string, unknown> }[] = [];
  try {
    for (const variant of names) {
      for (const original of scans)
        made.push({ variant, original, scan: await makeScanVariant(original, variant, dir) });
    }
    const started = new Map<string, number>();
    for (const entry of made) {
      const res = await client.upload(
        await readFile(entry.scan.imagePath),
        `${entry.scan.name}.png`,
        fields(entry.original),
      );
      if (res.status !== 202 && res.status !== 200)
        throw new Error(`${entry.scan.name}: ${res.status} ${JSON.stringify(res.body)}`);
      entry.id = (res.body.document as { id: string }).id;
      if (!started.has(entry.variant)) started.set(entry.variant, Date.now());
    }
    const finished = new Map<string, number>();
    for (const entry of made) {
      entry.doc = await client.waitProcessed(entry.id!);
      finished.set(entry.variant, Date.now());
    }

    const reports: Record<string, VariantReport> = {};
    let falseTurnsOnUpright = 0;
    let deskewedUpright = 0;
    for (const variant of names) {
      const entries = made.filter((e) => e.variant === variant);
      const scores = [];
      const rotations: Record<string, number> = {};
      let residual = 0;
      let failed = 0;
      for (const entry of entries) {
        const res = await client.get<{ page: ServedPage }>(`/v1/documents/${entry.id}/pages/1`);
        if (entry.doc?.status !== 'Processed' || res.status !== 200) failed++;
        const page = res.body.page;
        const engineTurn: PageTurn = {
          rotation: ((page?.rotated ?? 0) % 360) as QuarterTurn,
          deskewDegrees: page?.deskewed_degrees ?? 0,
        };
        rotations[engineTurn.rotation] = (rotations[engineTurn.rotation] ?? 0) + 1;
        const scanner = SCAN_VARIANTS[variant];
        residual += Math.abs(scanner.deskewDegrees + engineTurn.deskewDegrees);
        if (variant === 'upright') {
          if (engineTurn.rotation !== 0) falseTurnsOnUpright++;
          if (engineTurn.deskewDegrees !== 0) deskewedUpright++;
        }
        // Ground truth in the frame of the page the API serves: the scanner's turn, then the engine's.
        const served = turnScan(entry.original, variant === 'upright' ? [engineTurn] : [scanner, engineTurn]);
        scores.push(
          await scoreScan(
            served,
            async (word) => {
              const hits = await client.get<{ hits: { page: number; highlights: Highlight[] }[] }>(
                `/v1/documents/${entry.id}/search?q=${encodeURIComponent(word)}`,
              );
              return hits.body.hits?.find((h) => h.page === 1)?.highlights ?? null;
            },
            page?.words ?? [],
          ),
        );
      }
      const t = totals(scores);
      const upright = reports.upright?.totals ?? t;
      const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : 0);
      reports[variant] = {
        pages: entries.length,
        failed,
        totals: t,
        ratioToUpright: { recall: ratio(t.recall, upright.recall), iouAt50: ratio(t.iouAt50, upright.iouAt50) },
        rotations,
        meanResidualSkew: Math.round((residual / Math.max(1, entries.length)) * 100) / 100,
        secondsPerPageWall:
          Math.round(((finished.get(variant)! - started.get(variant)!) / 1000 / Math.max(1, entries.length)) * 100) /
          100,
      };
    }
    return { variants: reports, falseTurnsOnUpright, deskewedUpright };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
