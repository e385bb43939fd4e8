import { ocrFixture } from '@recto/testing';
import { parseOcrFile } from '../ocr-file.parser';

describe('ALTO dialects (vendored real files and hand-made ones)', () => {
  it.each([
    // file, pages, unit, page size, words on page 1 (count of <String> elements with content)
    ['alto-v2-inch1200.xml', 2, 'inch1200', [9148, 10928]],
    ['alto-v4-pixel.xml', 1, 'pixel', [1269, 1947]],
    ['alto-v4-pixel-newspaper.xml', 1, 'pixel', [1303, 1937]],
    ['alto-ccs-inch1200-chronicling-america.xml', 1, 'inch1200', [25248, 33432]],
    ['alto-v3-mm10.xml', 1, 'mm10', [2100, 2970]],
    ['alto-v4-prefixed.xml', 1, 'pixel', [2480, 3508]],
  ])('%s: format, pages, unit and size in the file’s unit', (name, pages, unit, [width, height]) => {
    const file = parseOcrFile(ocrFixture(name));
    expect(file.format).toBe('alto');
    expect(file.pages).toHaveLength(pages);
    expect(file.pages[0]).toMatchObject({ unit, width, height, source: 'import' });
    for (const word of file.pages.flatMap((p) => p.words)) {
      expect(word.polygon).toHaveLength(4);
      for (const [x, y] of word.polygon) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(1);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(1);
      }
    }
  });

  it('finds every String of a real file (words found / words in file)', () => {
    const text = ocrFixture('alto-v4-pixel-newspaper.xml').toString('utf8');
    const inFile = [...text.matchAll(/<String\b[^>]*CONTENT="([^"]*)"/g)].filter((m) => m[1].trim()).length;
    expect(parseOcrFile(ocrFixture('alto-v4-pixel-newspaper.xml')).pages[0].words).toHaveLength(inFile);
  });

  it('mm10 with float values: relative polygons from the page size in the same unit', () => {
    const [page] = parseOcrFile(ocrFixture('alto-v3-mm10.xml')).pages;
    expect(page.words.map((w) => w.content)).toEqual(['Municipal', 'archives', 'preser-', 'ved', 'ledgers']);
    const archives = page.words[1];
    expect(archives.polygon[0][0]).toBeCloseTo(490.5 / 2100, 6);
    expect(archives.polygon[2][0]).toBeCloseTo((490.5 + 280.25) / 2100, 6);
    expect(archives.polygon[2][1]).toBeCloseTo(260 / 2970, 6);
    expect(archives.confidence).toBe(0.91);
    expect(page.words.map((w) => w.line)).toEqual([0, 0, 0, 1, 1]);
    expect(page.imageName).toBe('0001.tif');
  });

  it('prefixed elements, ComposedBlock and character references', () => {
    const [page] = parseOcrFile(ocrFixture('alto-v4-prefixed.xml')).pages;
    expect(page.words.map((w) => w.content)).toEqual(['Gemeinde', 'Straße', '&', 'Rathaus']);
    expect(page.words[0].confidence).toBe(0.932);
    expect(page.words[0].polygon[0]).toEqual([
      Math.round((300.4 / 2480) * 1e6) / 1e6,
      Math.round((400.2 / 3508) * 1e6) / 1e6,
    ]);
  });

  it('the CCS namespace (Chronicling America) keeps its HypPart1/HypPart2 pairs joinable', () => {
    const words = parseOcrFile(ocrFixture('alto-ccs-inch1200-chronicling-america.xml')).pages[0].words;
    const firstHalves = words.filter((w, i) => /-$/.test(w.content) && words[i + 1] && words[i + 1].line !== w.line);
    expect(firstHalves.length).toBeGreaterThanOrEqual(150);
  });

  it('a String’s Shape/Polygon is its outline, with "x,y x,y" or "x y x y" POINTS', () => {
    const alto = (points: string) =>
      Buffer.from(
        `<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page WIDTH="1000" HEIGHT="1000"><PrintSpace>` +
          `<TextBlock><TextLine><String CONTENT="schräg" HPOS="100" VPOS="100" WIDTH="110" HEIGHT="60">` +
          `<Shape><Polygon POINTS="${points}"/></Shape></String></TextLine></TextBlock></PrintSpace></Page></Layout></alto>`,
      );
    for (const points of ['100,120 200,100 208,140 108,160', '100 120 200 100 208 140 108 160']) {
      const [word] = parseOcrFile(alto(points)).pages[0].words;
      // Not the axis-aligned HPOS/VPOS box: the top edge rises to the right.
      expect(word.polygon[0]).toEqual([0.1, 0.12]);
      expect(word.polygon[1]).toEqual([0.2, 0.1]);
    }
    // Points on a line span no area: the HPOS/VPOS box stands.
    const [flat] = parseOcrFile(alto('100,100 200,100 300,100')).pages[0].words;
    expect(flat.polygon).toEqual([
      [0.1, 0.1],
      [0.21, 0.1],
      [0.21, 0.16],
      [0.1, 0.16],
    ]);
  });
});
