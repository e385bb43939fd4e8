const { createWorker, OEM } = require('tesseract.js');
const path = require('path'); const sharp = require('sharp');
(async () => {
  const lp = path.dirname(require.resolve('@tesseract.js-data/eng/package.json')) + '/4.0.0_best_int';
  let t0 = Date.now();
  const w = await createWorker(['eng'], OEM.LSTM_ONLY, { langPath: lp, cacheMethod: 'none', gzip: true });
  console.log('init', Date.now() - t0);
  const f = '/work/shared/data/scans-dev/funsd_82092117.png';
  t0 = Date.now();
  const r = await w.recognize(f, { tessedit_pageseg_mode: '3', user_defined_dpi: '100' }, { blocks: true, text: false });
  console.log('rec', Date.now() - t0);
  const b = r.data.blocks[0];
  console.log(Object.keys(r.data), Object.keys(b), Object.keys(b.paragraphs[0]), Object.keys(b.paragraphs[0].lines[0]), JSON.stringify(b.paragraphs[0].lines[0].words[0]).slice(0, 600));
  // pgm
  const { data, info } = await sharp(f).grayscale().resize({ width: 754*3, kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  const pgm = Buffer.concat([Buffer.from(`P5\n${info.width} ${info.height}\n255\n`), data]);
  t0 = Date.now();
  const r2 = await w.recognize(pgm, { tessedit_pageseg_mode: '11', user_defined_dpi: '300' }, { blocks: true, text: false });
  console.log('rec pgm', Date.now() - t0, r2.data.blocks.length, info.channels);
  await w.terminate();
})();
