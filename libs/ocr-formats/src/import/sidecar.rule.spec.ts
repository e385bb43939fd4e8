import { isOcrFile, isScan, pairSidecars } from './sidecar.rule';

describe('the sidecar rule', () => {
  it('pairs an image with the OCR file of its name, with or without a tag before the extension', () => {
    const images = ['/a/0001.tif', '/a/0002.TIF', '/a/0003.png', '/a/0004.jpg', '/a/chart_01.png', '/a/0005.jpg'];
    const ocr = [
      '/a/0001.xml',
      '/a/0002.alto.xml',
      '/a/0003.hocr',
      '/a/0004.page.XML',
      '/a/chart_01.truth.hocr',
      '/a/0005.jpg.hocr.html',
    ];
    const { units, unpaired } = pairSidecars(images, ocr);
    expect(units.map((u) => [u.image, u.ocr])).toEqual([
      ['/a/0001.tif', ['/a/0001.xml']],
      ['/a/0002.TIF', ['/a/0002.alto.xml']],
      ['/a/0003.png', ['/a/0003.hocr']],
      ['/a/0004.jpg', ['/a/0004.page.XML']],
      ['/a/chart_01.png', ['/a/chart_01.truth.hocr']],
      ['/a/0005.jpg', ['/a/0005.jpg.hocr.html']],
    ]);
    expect(unpaired).toEqual([]);
  });

  it('needs the whole name, a dot after it, the same directory and the same case', () => {
    const { units, unpaired } = pairSidecars(
      ['/a/0001.tif', '/a/page.png'],
      ['/a/00011.xml', '/a/0001-ocr.xml', '/b/0001.xml', '/a/Page.xml', '/a/mets.xml'],
    );
    expect(units.map((u) => u.ocr)).toEqual([[], []]);
    expect(unpaired).toEqual(['/a/00011.xml', '/a/0001-ocr.xml', '/b/0001.xml', '/a/Page.xml', '/a/mets.xml']);
  });

  it('gives a file two images could take to the longer name; same-named images each take it', () => {
    const { units } = pairSidecars(
      ['/a/scan.png', '/a/scan.v2.png', '/a/0001.tif', '/a/0001.jpg'],
      ['/a/scan.v2.xml', '/a/scan.xml', '/a/0001.xml'],
    );
    expect(units.map((u) => u.ocr)).toEqual([['/a/scan.xml'], ['/a/scan.v2.xml'], ['/a/0001.xml'], ['/a/0001.xml']]);
  });

  it('keeps every candidate of an image, so that the import can refuse to guess', () => {
    const { units } = pairSidecars(['/a/0001.tif'], ['/a/0001.xml', '/a/0001.hocr']);
    expect(units[0].ocr).toEqual(['/a/0001.xml', '/a/0001.hocr']);
  });

  it('knows scans and OCR files by extension, whatever the case', () => {
    expect(['x.PDF', 'x.tiff', 'x.jpeg', 'x.webp'].every(isScan)).toBe(true);
    expect(['x.xml', 'x.HOCR', 'x.html', 'x.htm', 'x.xhtml'].every(isOcrFile)).toBe(true);
    expect(isOcrFile('x.txt') || isScan('x.json')).toBe(false);
  });
});
