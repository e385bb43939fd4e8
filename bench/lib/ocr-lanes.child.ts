/**
 * The local engine in a process of its own, so that a candidate needing other V8 flags (relaxed
 * SIMD on Node 20: `--experimental-wasm-relaxed-simd`, process-wide and read when tesseract.js
 * compiles its core) is measured in the same rounds as the in-process engine. Driven by the ocr
 * scenario over IPC: `warm`, then `round` messages, each answered when its pages are done.
 */
import { relaxedSimd } from 'wasm-feature-detect';
import { LocalOcrAdapter } from '../../libs/ocr/src/adapters/local/local-ocr.adapter';
import { DEFAULT_RESOLUTION_RULE } from '../../libs/ocr/src/adapters/local/resolution';

interface Page {
  name: string;
  imagePath: string;
}
type Message = { kind: 'warm'; pages: Page[]; lanes: number } | { kind: 'round'; pages: Page[] } | { kind: 'stop' };

let adapter: LocalOcrAdapter | null = null;
let lanes = 1;

async function inLanes(pages: Page[], job: (page: Page) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, pages.length) }, async () => {
      while (next < pages.length) await job(pages[next++]);
    }),
  );
}

process.on('message', (message: Message) => {
  void (async () => {
    try {
      if (message.kind === 'stop') {
        await adapter?.close();
        process.exit(0);
      }
      if (message.kind === 'warm') {
        lanes = message.lanes;
        adapter = new LocalOcrAdapter({ languages: ['eng'], poolSize: lanes, engine: 'wasm' }, DEFAULT_RESOLUTION_RULE);
      }
      const words: Record<string, number> = {};
      const started = performance.now();
      const cpu = process.cpuUsage();
      await inLanes(message.pages, async (page) => {
        const result = await adapter!.recognize({
          documentId: page.name,
          filePath: page.imagePath,
          mimeType: 'image/png',
        });
        words[page.name] = result.pages[0].words.length;
      });
      const seconds = (performance.now() - started) / 1000;
      const { user, system } = process.cpuUsage(cpu);
      const cpuSeconds = (user + system) / 1e6;
      process.send!({ ok: true, seconds, cpuSeconds, words, relaxedSimd: await relaxedSimd() });
    } catch (error) {
      process.send!({ ok: false, error: String(error) });
    }
  })();
});
process.send!({ ready: true });
