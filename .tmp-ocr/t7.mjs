import sharp from 'sharp';
for (const f of ['.tmp-ocr/j.tiff', '.tmp-ocr/j2.tiff']) {
  for (const opts of [{}, {page:1,pages:1}]) {
  try { const r = await sharp(f, opts).rotate().removeAlpha().grayscale().resize({width:1508, height:2000, kernel:'lanczos3', fit:'fill'}).raw({depth:'uchar'}).toBuffer({resolveWithObject:true}); console.log('ok', r.info.channels, r.info.width, r.info.height, r.data.length); } catch(e) { console.log('err', e.message); }
  }
}
// Check normal RGBA png flatten
const rgba = await sharp({create:{width:10,height:10,channels:4,background:{r:0,g:0,b:0,alpha:0}}}).png().toBuffer();
const g = await sharp(rgba).rotate().flatten({background:'#ffffff'}).grayscale().raw({depth:'uchar'}).toBuffer({resolveWithObject:true}); console.log(g.info.channels, g.data[0]);
const ga = await sharp(rgba).toColourspace('b-w').png().toBuffer(); console.log((await sharp(ga).metadata()).channels);
const g2 = await sharp(ga).rotate().flatten({background:'#ffffff'}).grayscale().raw({depth:'uchar'}).toBuffer({resolveWithObject:true}); console.log(g2.info.channels, g2.data[0]);
