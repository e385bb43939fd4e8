import sharp from 'sharp';
const d='/work/shared/data/scans-dev/';
await sharp([d+'funsd_82092117.png', d+'funsd_82250337_0338.png'],{join:{animated:true}}).tiff({compression:'lzw'}).toFile('.tmp-ocr/j.tiff');
const m = await sharp('.tmp-ocr/j.tiff').metadata(); console.log(m.channels, m.space, m.hasAlpha, m.pages, m.width, m.height);
const m1 = await sharp('.tmp-ocr/j.tiff', {page:1,pages:1}).metadata(); console.log(m1.channels, m1.space, m1.hasAlpha, m1.pages, m1.width, m1.height);
for (const opts of [{}, {page:1,pages:1}]) {
 try { const r = await sharp('.tmp-ocr/j.tiff', opts).rotate().flatten({background:'#ffffff'}).grayscale().raw({depth:'uchar'}).toBuffer({resolveWithObject:true}); console.log('ok', r.info); } catch(e) { console.log('err', e.message); }
 try { const r = await sharp('.tmp-ocr/j.tiff', opts).rotate().grayscale().flatten({background:'#ffffff'}).raw({depth:'uchar'}).toBuffer({resolveWithObject:true}); console.log('ok2', r.info); } catch(e) { console.log('err2', e.message); }
 try { const r = await sharp('.tmp-ocr/j.tiff', opts).rotate().toColourspace('srgb').flatten({background:'#ffffff'}).grayscale().raw({depth:'uchar'}).toBuffer({resolveWithObject:true}); console.log('ok3', r.info); } catch(e) { console.log('err3', e.message); }
}
