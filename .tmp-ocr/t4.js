const { createWorker, OEM } = require('tesseract.js');
const fs = require('fs');
(async () => {
  const data = fs.readFileSync('node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz');
  for (const cfg of [{}, { debug_file: '/dev/null' }]) {
    try {
      const w = await createWorker([{ code: 'eng', data }], OEM.LSTM_ONLY, { langPath: '/nonexistent', cacheMethod: 'none', gzip: true }, cfg);
      const r = await w.recognize('/work/shared/data/scans-dev/funsd_82092117.png', {}, { blocks: true, text: false });
      console.log('ok', JSON.stringify(cfg), r.data.blocks.length); await w.terminate();
    } catch (e) { console.log('fail', JSON.stringify(cfg), e); }
  }
})();
