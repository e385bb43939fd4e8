/**
 * What orientation and skew detection cost on upright pages: every dev page read by the local
 * engine with it off (as before) and on, one page at a time, alternating which goes first, timed
 * by wall clock and by the process's CPU time (the engine's worker threads included; steadier
 * than the wall clock on a shared machine). Also reports any page the engine turned.
 *
 * `--variant skew+6` (any of the eval's variants) times the pages turned that way instead, where
 * "on" pays for the straightening too (and reads the page upright, which "off" does not).
 *
 *   nice -n 10 npx tsx scripts/measure-orientation-cost.ts [--data DIR] [--limit N] [--variant NAME]
 */
import { LocalOcrAdapter } from '@recto/ocr';
import { devScansDir, loadDevScans, makeScanVariant } from '@recto/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { data: { type: 'string' }, limit: { type: 'string' }, variant: { type: 'string' } },
});

async function main() {
  let scans = loadDevScans(values.data ?? devScansDir());
  if (values.limit) scans = scans.slice(0, Number(values.limit));
  const dir = await mkdtemp(join(tmpdir(), 'recto-orientation-cost-'));
  if (values.variant) scans = await Promise.all(scans.map((scan) => makeScanVariant(scan, values.variant!, dir)));
  const make = (autoOrient: boolean) => new LocalOcrAdapter({ languages: ['eng', 'deu'], poolSize: 1, autoOrient });
  const engines = { off: make(false), on: make(true) };
  const totals = { off: { wall: 0, cpu: 0 }, on: { wall: 0, cpu: 0 } };
  const turned: string[] = [];
  // Warm both engines so that neither pays for loading its model in the figures.
  for (const engine of Object.values(engines)) {
    await engine.recognize({ documentId: 'warm', filePath: scans[0].imagePath, mimeType: 'image/png' });
  }
  for (const [i, scan] of scans.entries()) {
    const order = (i % 2 === 0 ? ['off', 'on'] : ['on', 'off']) as ('off' | 'on')[];
    const line: string[] = [];
    for (const mode of order) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const result = await engines[mode].recognize({
        documentId: scan.name,
        filePath: scan.imagePath,
        mimeType: 'image/png',
        languages: [scan.language.startsWith('de') ? 'deu' : 'eng'],
      });
      const wall = (performance.now() - t0) / 1000;
      const used = process.cpuUsage(cpu0);
      const cpu = (used.user + used.system) / 1e6;
      totals[mode].wall += wall;
      totals[mode].cpu += cpu;
      const turn = result.pages[0].turn;
      if (mode === 'on' && turn && (turn.rotation !== 0 || turn.deskewDegrees !== 0)) {
        // For a variant these are the turns back, not false turns.
        turned.push(`${scan.name}: rotated ${turn.rotation}, deskewed ${turn.deskewDegrees}`);
      }
      line.push(`${mode} ${wall.toFixed(1)}s wall ${cpu.toFixed(1)}s cpu`);
    }
    console.log(`${scan.name.padEnd(34)} ${line.join(' | ')}`);
  }
  await Promise.all(Object.values(engines).map((e) => e.close()));
  await rm(dir, { recursive: true, force: true });
  const n = scans.length;
  const per = (mode: 'off' | 'on') => ({
    wallSecondsPerPage: Math.round((totals[mode].wall / n) * 100) / 100,
    cpuSecondsPerPage: Math.round((totals[mode].cpu / n) * 100) / 100,
  });
  console.log(
    JSON.stringify(
      {
        pages: n,
        variant: values.variant ?? 'upright',
        off: per('off'),
        on: per('on'),
        extraWall: Math.round((totals.on.wall / totals.off.wall - 1) * 1000) / 1000,
        extraCpu: Math.round((totals.on.cpu / totals.off.cpu - 1) * 1000) / 1000,
        [values.variant ? 'turnedBack' : 'turnedUprightPages']: turned,
      },
      null,
      2,
    ),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
