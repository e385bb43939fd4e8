import sharp from 'sharp';
const d='/work/shared/data/scans-dev/';
for (const [name, f] of [['removeAlpha', s=>s.removeAlpha()], ['b-w', s=>s.toColourspace('b-w')], ['flattenfirst', s=>s.flatten({background:'#ffffff'})]]) {
  try { await f(sharp([d+'funsd_82092117.png', d+'funsd_82250337_0338.png'],{join:{animated:true}})).tiff({compression:'lzw'}).toFile('.tmp-ocr/j2.tiff');
  const m = await sharp('.tmp-ocr/j2.tiff').metadata(); console.log(name, m.channels, m.space, m.hasAlpha, m.pages);
  const r = await sharp('.tmp-ocr/j2.tiff', {page:1,pages:1}).rotate().flatten({background:'#ffffff'}).grayscale().raw({depth:'uchar'}).toBuffer({resolveWithObject:true}); console.log('ok', r.info.channels, r.info.width, r.info.height);
  } catch (e) { console.log(name, 'err', e.message); }
}
const m = await sharp('.tmp-ocr/j.tiff').removeAlpha().raw().toBuffer({resolveWithObject:true}); console.log('5ch removeAlpha', m.info.channels);
const r = await sharp('.tmp-ocr/j.tiff').removeAlpha().flatten({background:'#ffffff'}).grayscale().raw().toBuffer({resolveWithObject:true}); console.log('5ch removeAlpha flat', r.info.channels);
