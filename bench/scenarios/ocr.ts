import { loadAllScans, type DevScan } from '@recto/testing';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openImageSource } from '../../libs/ocr/src/adapters/local/image-page-source';
import { LocalOcrAdapter } from '../../libs/ocr/src/adapters/local/local-ocr.adapter';
import { NativeTessdataDir } from '../../libs/ocr/src/adapters/local/native-tessdata';
import { findNativeTesseract, runNativeTesseract } from '../../libs/ocr/src/adapters/local/native-tesseract.program';
import { toPgm } from '../../libs/ocr/src/adapters/local/page-source';
import { DEFAULT_RESOLUTION_RULE } from '../../libs/ocr/src/adapters/local/resolution';
import { arg, numberArg } from '../lib/args';
import { machineInfo, writeResult } from '../lib/results';
import { formatTable, median, round, spread } from '../lib/stats';

interface PreparedPage {
  scan: DevScan;
  pgm: Buffer;
  psm: string;
  dpi: number;
  width: number;
  height: number;
  renderMs: number;
}

/** A candidate engine in a child process (ocr-lanes.child.ts), e.g. with other V8 flags. */
interface ChildEngine {
  process: ChildProcess;
  ask(
    message: object,
  ): Promise<{ seconds: number; cpuSeconds: number; words: Record<string, number>; relaxedSimd: boolean }>;
}

function startChildEngine(execArgv: string[]): Promise<ChildEngine> {
  const child = fork(join(__dirname, '..', 'lib', 'ocr-lanes.child.ts'), [], {
    execArgv: [...execArgv, '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let pending: { resolve: (v: never) => void; reject: (e: Error) => void } | null = null;
  child.on('exit', (code) => pending?.reject(new Error(`OCR child exited with ${code}`)));
  return new Promise((resolve, reject) => {
    child.once('message', () =>
      resolve({
        process: child,
        ask: (message) =>
          new Promise((res, rej) => {
            pending = { resolve: res as (v: never) => void, reject: rej };
            child.once('message', (answer: { ok: boolean; error?: string }) => {
              pending = null;
              if (answer.ok) res(answer as never);
              else rej(new Error(answer.error));
            });
            child.send(message);
          }),
      }),
    );
    child.once('error', reject);
  });
}

/**
 * Pages per minute of the local engine (LocalOcrAdapter, one lane per core) with each of its
 * Tesseracts — wasm (tesseract.js) and native (the `tesseract` program) — against the bare native
 * program (one process per core, OMP_THREAD_LIMIT=1, TSV output) on the same page images: the
 * bare program reads the very pixels the adapter hands to Tesseract (its own decoding and
 * upscaling, as PGM on stdin), with the same page segmentation mode, resolution and traineddata,
 * through the library's own runNativeTesseract, one process per page as people run the program
 * (each loads the model). The adapter lanes also pay for decoding, the upscale and the skew
 * estimate, which the bare program is handed done; the adapter's native engine keeps one
 * `tesseract` process per lane and per (languages, psm) and streams it page files
 * (native-tesseract.process.ts), so it loads the model once per process, not once per page.
 */
export async function ocrScenario(): Promise<void> {
  const rounds = numberArg('rounds', 3);
  const lanes = numberArg('pool', availableParallelism());
  const limit = arg('limit');
  const machine = machineInfo();
  let scans = loadAllScans();
  if (limit) scans = scans.slice(0, Number(limit));
  const work = await mkdtemp(join(tmpdir(), 'recto-bench-ocr-'));
  try {
    const program = findNativeTesseract();
    if (!program) throw new Error('the native tesseract program is not installed (apt-get install tesseract-ocr)');
    // The same model for all: tesseract.js's eng 4.0.0_best_int (not Debian's tessdata_fast),
    // gunzipped for the program as the native engine does it.
    const tessdata = await new NativeTessdataDir('best_int', ['eng'], join(work, 'tessdata')).path(['eng']);
    const version = `tesseract ${program.version}`;

    const pages: PreparedPage[] = [];
    for (const scan of scans) {
      const source = await openImageSource(scan.imagePath, { maxPages: 1, maxPixels: 100_000_000 });
      const page = await source.page(0);
      if (page.kind !== 'raster') throw new Error('unexpected text page');
      const t0 = performance.now();
      const image = await page.render();
      const renderMs = performance.now() - t0;
      pages.push({
        scan,
        pgm: toPgm(image),
        psm: page.plan.psm,
        dpi: page.plan.effectiveDpi,
        width: image.width,
        height: image.height,
        renderMs,
      });
    }
    console.log(
      `${pages.length} pages as tesseract.js gets them: ` +
        [...new Set(pages.map((p) => `${p.width}×${p.height} psm ${p.psm} @${p.dpi}dpi`))].slice(0, 4).join(', '),
    );

    const adapter = new LocalOcrAdapter(
      { languages: ['eng'], poolSize: lanes, engine: 'wasm' },
      DEFAULT_RESOLUTION_RULE,
    );
    const nativeAdapter = new LocalOcrAdapter(
      { languages: ['eng'], poolSize: lanes, engine: 'native' },
      DEFAULT_RESOLUTION_RULE,
    );
    const localWords = new Map<string, number>();
    const adapterNativeWords = new Map<string, number>();
    const nativeWords = new Map<string, number>();
    const relaxedWords = new Map<string, number>();
    // tesseract.js picks its relaxed-SIMD core when the engine can compile it: behind a V8 flag on
    // Node 20, by default from Node 22. Its own process, measured in the same rounds.
    const relaxed = await startChildEngine(['--experimental-wasm-relaxed-simd']);
    const childPages = pages.map((p) => ({ name: p.scan.name, imagePath: p.scan.imagePath }));
    const relaxedWarm = await relaxed.ask({ kind: 'warm', lanes, pages: childPages.slice(0, lanes) });
    if (!relaxedWarm.relaxedSimd) console.log('warning: the relaxed-SIMD child cannot compile relaxed SIMD');
    const localRelaxed = async () => {
      const answer = await relaxed.ask({ kind: 'round', pages: childPages });
      for (const [name, n] of Object.entries(answer.words)) relaxedWords.set(name, n);
      return { seconds: answer.seconds, cpuSeconds: answer.cpuSeconds };
    };
    const throughAdapter = (engine: LocalOcrAdapter, words: Map<string, number>) => async () =>
      inLanes(pages, lanes, async (page) => {
        const result = await engine.recognize({
          documentId: page.scan.name,
          filePath: page.scan.imagePath,
          mimeType: 'image/png',
        });
        words.set(page.scan.name, result.pages[0].words.length);
      });
    const local = throughAdapter(adapter, localWords);
    const adapterNative = throughAdapter(nativeAdapter, adapterNativeWords);
    const native = async () =>
      inLanes(pages, lanes, async (page) => {
        const stdout = await nativeTesseract(page);
        nativeWords.set(page.scan.name, countTsvWords(stdout));
      });
    const nativeTesseract = (page: PreparedPage) =>
      runNativeTesseract(program, page.pgm, {
        tessdataDir: tessdata,
        languages: ['eng'],
        psm: page.psm,
        dpi: page.dpi,
        timeoutMs: 300_000,
      });

    // Start every tesseract.js worker (wasm compile, model load) before timing; the native engine
    // unpacks its model once and starts its processes (ended again after 30 s idle, e.g. while the
    // other engines' rounds run: a restart then counts in its round, as it would in a worker).
    for (const engine of [adapter, nativeAdapter]) {
      await inLanes(pages.slice(0, lanes), lanes, (page) =>
        engine
          .recognize({ documentId: 'warm', filePath: page.scan.imagePath, mimeType: 'image/png' })
          .then(() => undefined),
      );
    }
    const engines = ['native', 'adapterNative', 'local', 'localRelaxed'] as const;
    const measured: Record<(typeof engines)[number], number[]> = {
      local: [],
      native: [],
      localRelaxed: [],
      adapterNative: [],
    };
    // CPU seconds a page, every thread and child process of the engine included: on a machine
    // shared with other work, wall-clock rounds swing with the neighbours' load (2-3× between
    // rounds), while the CPU an engine spends on a page barely moves — and with every core busy
    // reading (one lane per core), pages per minute are cores / CPU seconds a page.
    const cpuPerPage: Record<(typeof engines)[number], number[]> = {
      local: [],
      native: [],
      localRelaxed: [],
      adapterNative: [],
    };
    const timedRound = { native, adapterNative, local };
    const roundLoads: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Rotate which engine goes first: the machine's load drifts.
      const order = engines.map((_, i) => engines[(i + r) % engines.length]);
      for (const engine of order) {
        // The child times its own round (no IPC in the figure).
        let seconds: number;
        let cpuSeconds: number;
        if (engine === 'localRelaxed') {
          ({ seconds, cpuSeconds } = await localRelaxed());
        } else {
          const cpu = cpuSecondsUsed();
          seconds = await timed(timedRound[engine]);
          cpuSeconds = cpuSecondsUsed() - cpu;
        }
        measured[engine].push((pages.length / seconds) * 60);
        cpuPerPage[engine].push(cpuSeconds / pages.length);
        roundLoads.push(round(loadavg()[0], 1));
        console.log(
          `round ${r + 1}/${rounds} ${engine}: ${((pages.length / seconds) * 60).toFixed(1)} pages/min, ` +
            `${(cpuSeconds / pages.length).toFixed(2)} CPU s/page, load ${loadavg()[0].toFixed(1)}`,
        );
      }
    }
    relaxed.process.send({ kind: 'stop' });

    // One page at a time, one engine each: per-page latency and where the local engine's time goes.
    const single = { localMs: [] as number[], nativeMs: [] as number[], adapterNativeMs: [] as number[] };
    const oneLane = new LocalOcrAdapter({ languages: ['eng'], poolSize: 1, engine: 'wasm' }, DEFAULT_RESOLUTION_RULE);
    const oneNativeLane = new LocalOcrAdapter(
      { languages: ['eng'], poolSize: 1, engine: 'native' },
      DEFAULT_RESOLUTION_RULE,
    );
    await oneLane.recognize({ documentId: 'warm', filePath: pages[0].scan.imagePath, mimeType: 'image/png' });
    const once = (engine: LocalOcrAdapter, page: PreparedPage) => () =>
      engine.recognize({ documentId: page.scan.name, filePath: page.scan.imagePath, mimeType: 'image/png' });
    for (const page of pages) {
      single.localMs.push(1000 * (await timed(once(oneLane, page))));
      single.adapterNativeMs.push(1000 * (await timed(once(oneNativeLane, page))));
      single.nativeMs.push(1000 * (await timed(() => nativeTesseract(page))));
    }
    await Promise.all([oneLane.close(), oneNativeLane.close(), adapter.close(), nativeAdapter.close()]);

    const ratios = measured.local.map((v, i) => v / measured.native[i]);
    const adapterNativeRatios = measured.adapterNative.map((v, i) => v / measured.native[i]);
    const adapterNativeOverLocal = measured.adapterNative.map((v, i) => v / measured.local[i]);
    // Throughput ratios from CPU a page (a/b = b's CPU seconds a page / a's), round by round.
    const cpuRatio = (a: (typeof engines)[number], b: (typeof engines)[number]) =>
      cpuPerPage[a].map((v, i) => cpuPerPage[b][i] / v);
    const relaxedRatios = measured.localRelaxed.map((v, i) => v / measured.native[i]);
    const relaxedOverLocal = measured.localRelaxed.map((v, i) => v / measured.local[i]);
    const renderMs = median(pages.map((p) => p.renderMs));
    const summary = {
      localPagesPerMinute: round(median(measured.local), 1),
      nativePagesPerMinute: round(median(measured.native), 1),
      localOverNative: round(median(ratios), 2),
      ratioSpread: round(spread(ratios), 2),
      localRelaxedPagesPerMinute: round(median(measured.localRelaxed), 1),
      localRelaxedOverNative: round(median(relaxedRatios), 2),
      localRelaxedOverNativeSpread: round(spread(relaxedRatios), 2),
      localRelaxedOverLocal: round(median(relaxedOverLocal), 2),
      adapterNativePagesPerMinute: round(median(measured.adapterNative), 1),
      adapterNativeOverNative: round(median(adapterNativeRatios), 2),
      adapterNativeOverNativeSpread: round(spread(adapterNativeRatios), 2),
      adapterNativeOverLocal: round(median(adapterNativeOverLocal), 2),
      cpuSecondsPerPage: {
        native: round(median(cpuPerPage.native), 3),
        adapterNative: round(median(cpuPerPage.adapterNative), 3),
        local: round(median(cpuPerPage.local), 3),
        localRelaxed: round(median(cpuPerPage.localRelaxed), 3),
      },
      byCpu: {
        adapterNativeOverNative: round(median(cpuRatio('adapterNative', 'native')), 2),
        adapterNativeOverNativeSpread: round(spread(cpuRatio('adapterNative', 'native')), 2),
        localOverNative: round(median(cpuRatio('local', 'native')), 2),
        localOverNativeSpread: round(spread(cpuRatio('local', 'native')), 2),
        localRelaxedOverNative: round(median(cpuRatio('localRelaxed', 'native')), 2),
        adapterNativeOverLocal: round(median(cpuRatio('adapterNative', 'local')), 2),
      },
      singlePage: {
        localMedianMs: round(median(single.localMs)),
        adapterNativeMedianMs: round(median(single.adapterNativeMs)),
        nativeMedianMs: round(median(single.nativeMs)),
        localOverNativeTime: round(median(single.localMs.map((v, i) => v / single.nativeMs[i])), 2),
        decodeAndUpscaleMedianMs: round(renderMs),
        decodeAndUpscaleShare: round(renderMs / median(single.localMs), 3),
      },
      words: {
        local: [...localWords.values()].reduce((a, b) => a + b, 0),
        native: [...nativeWords.values()].reduce((a, b) => a + b, 0),
        localRelaxed: [...relaxedWords.values()].reduce((a, b) => a + b, 0),
        adapterNative: [...adapterNativeWords.values()].reduce((a, b) => a + b, 0),
        // Pages where the relaxed-SIMD core found another number of words than the SIMD one.
        relaxedPagesDiffering: [...localWords].filter(([name, n]) => relaxedWords.get(name) !== n).length,
      },
    };
    console.log(`\nOCR throughput, ${pages.length} dev pages, ${lanes} lanes (medians of ${rounds} rounds)`);
    console.log(
      formatTable(
        ['engine', 'pages/min', 'ms/page (1 lane)', 'words found'],
        [
          [
            `LocalOcrAdapter, native engine (${version})`,
            summary.adapterNativePagesPerMinute,
            summary.singlePage.adapterNativeMedianMs,
            summary.words.adapterNative,
          ],
          [
            'LocalOcrAdapter, wasm engine (tesseract.js)',
            summary.localPagesPerMinute,
            summary.singlePage.localMedianMs,
            summary.words.local,
          ],
          [
            `bare native ${version}`,
            summary.nativePagesPerMinute,
            summary.singlePage.nativeMedianMs,
            summary.words.native,
          ],
          [
            'tesseract.js, relaxed SIMD (child process)',
            summary.localRelaxedPagesPerMinute,
            '',
            summary.words.localRelaxed,
          ],
        ],
      ),
    );
    console.log(
      `adapter with the native engine / bare native: ${summary.adapterNativeOverNative}× ` +
        `(±${Math.round(summary.adapterNativeOverNativeSpread * 50)}%); / adapter with wasm: ${summary.adapterNativeOverLocal}×`,
    );
    console.log(
      `wasm adapter / bare native throughput: ${summary.localOverNative}× (spread ±${Math.round(summary.ratioSpread * 50)}%); ` +
        `decode+upscale ${summary.singlePage.decodeAndUpscaleMedianMs} ms/page (${Math.round(summary.singlePage.decodeAndUpscaleShare * 100)}% of a local page)`,
    );
    console.log(
      `relaxed SIMD / native: ${summary.localRelaxedOverNative}× (±${Math.round(summary.localRelaxedOverNativeSpread * 50)}%), ` +
        `relaxed / SIMD: ${summary.localRelaxedOverLocal}×, pages with another word count: ${summary.words.relaxedPagesDiffering}`,
    );
    const byCpu = summary.byCpu;
    console.log(
      `by CPU a page (${summary.cpuSecondsPerPage.native} s bare native, ${summary.cpuSecondsPerPage.adapterNative} s ` +
        `adapter native, ${summary.cpuSecondsPerPage.local} s adapter wasm, ${summary.cpuSecondsPerPage.localRelaxed} s relaxed): ` +
        `adapter native / bare native ${byCpu.adapterNativeOverNative}× (±${Math.round(byCpu.adapterNativeOverNativeSpread * 50)}%), ` +
        `wasm / bare native ${byCpu.localOverNative}× (±${Math.round(byCpu.localOverNativeSpread * 50)}%), ` +
        `relaxed / bare native ${byCpu.localRelaxedOverNative}×, adapter native / wasm ${byCpu.adapterNativeOverLocal}×`,
    );
    const file = writeResult(
      'ocr',
      {
        setup: {
          pages: pages.length,
          lanes,
          rounds,
          native: `${version}, one process per page, as many at once as lanes, OMP_THREAD_LIMIT=1, --oem 1, TSV to stdout, PGM on stdin (runNativeTesseract)`,
          model:
            'eng 4.0.0_best_int from @tesseract.js-data/eng for all (gunzipped by NativeTessdataDir for the program)',
          local:
            'LocalOcrAdapter.recognize({engine: wasm}) on the original PNGs (includes its sharp decode, upscale, skew estimate)',
          adapterNative:
            'LocalOcrAdapter.recognize({engine: native}) on the original PNGs, same lanes: long-lived tesseract processes ' +
            '(one per lane and per languages+psm, fed TIFF page files through stream_filelist); CPU includes them while alive',
          images: pages.map((p) => ({ page: p.scan.name, width: p.width, height: p.height, psm: p.psm, dpi: p.dpi })),
        },
        rounds: {
          localPagesPerMinute: measured.local.map((v) => round(v, 1)),
          nativePagesPerMinute: measured.native.map((v) => round(v, 1)),
          localRelaxedPagesPerMinute: measured.localRelaxed.map((v) => round(v, 1)),
          adapterNativePagesPerMinute: measured.adapterNative.map((v) => round(v, 1)),
          cpuSecondsPerPage: Object.fromEntries(
            Object.entries(cpuPerPage).map(([engine, values]) => [engine, values.map((v) => round(v, 3))]),
          ),
          loadAverage: roundLoads,
        },
        summary,
      },
      machine,
    );
    console.log(`written ${file}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function inLanes<T>(items: T[], lanes: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) await job(items[next++]);
    }),
  );
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU seconds of this process (all its threads: the tesseract.js workers), of its finished
 * children (the per-page tesseract runs) and of its live children (the native engine's
 * long-lived tesseract processes, whose CPU is not in the finished children's until they exit).
 */
function cpuSecondsUsed(): number {
  const { user, system } = process.cpuUsage();
  // /proc/<pid>/stat after the command name: field 4 the parent, 14/15 utime and stime,
  // 16/17 (cutime, cstime) the waited-for children's.
  const stat = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const own = stat('self');
  let ticks = Number(own[13]) + Number(own[14]);
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const fields = stat(pid);
      if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone since the listing.
    }
  }
  return (user + system) / 1e6 + ticks / CLOCK_TICKS;
}

async function timed(job: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await job();
  return (performance.now() - started) / 1000;
}

/** Word rows (level 5) with text in tesseract's TSV. */
function countTsvWords(tsv: string): number {
  let words = 0;
  for (const line of tsv.split('\n')) {
    const cells = line.split('\t');
    if (cells[0] === '5' && (cells[11] ?? '').trim() !== '') words++;
  }
  return words;
}
