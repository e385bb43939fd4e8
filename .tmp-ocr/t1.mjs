import sharp from 'sharp';
const d='/work/shared/data/scans-dev/';
const a=d+'funsd_82092117.png', b=d+'funsd_82250337_0338.png';
const img = sharp([a,b],{join:{animated:true}});
const buf = await img.tiff({compression:'lzw'}).toBuffer();
const m = await sharp(buf).metadata();
console.log(buf.length, m.pages, m.width, m.height, m.pageHeight, m.density);
const m2 = await sharp(buf,{page:1,pages:1}).metadata(); console.log(m2.width,m2.height);
console.log(sharp.versions);
