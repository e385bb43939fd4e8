import { readFileSync } from 'node:fs';
import { LocalOcrAdapter } from '../libs/ocr/src/adapters/local/local-ocr.adapter';
import { scorePage, normalizeWord, isScoredWord } from '../libs/ocr/scripts/dev-set-scoring';
(async () => {
  const a = new LocalOcrAdapter({ languages: ['eng', 'deu'], poolSize: 1 });
  for (const name of ['ocrd_gtst_bebel_frau_1879_0146', 'ocrd_gtst_bebel_frau_1879_0168'])
  for (const langs of [['deu'], ['eng', 'deu']]) {
    const gt = JSON.parse(readFileSync(`/work/shared/data/scans-dev/${name}.json`, 'utf8'));
    const r = await a.recognize({ documentId: 'x', filePath: `/work/shared/data/scans-dev/${name}.png`, mimeType: 'image/png', languages: langs });
    const s = scorePage(gt, r.pages[0]);
    const got = new Set(r.pages[0].words.map((w) => normalizeWord(w.content)));
    const missed = gt.lines.flatMap((l: any) => l.text.split(/\s+/)).map(normalizeWord).filter((w: string) => isScoredWord(w) && !got.has(w));
    console.log(name, langs, s.recall.toFixed(3), r.pages[0].words.length, missed.slice(0, 40).join(' '));
  }
  await a.close();
})();
