import { ocrFixture } from '@recto/testing';
import { InvalidOcrFileException } from '../invalid-ocr-file.exception';
import { parseOcrFile } from '../ocr-file.parser';
import { hocrProperties, parseHocr } from './hocr.parser';

const wordCount = (name: string) =>
  [
    ...ocrFixture(name)
      .toString('utf8')
      .matchAll(/class=["']?ocrx_word/g),
  ].length;

describe('hOCR', () => {
  it.each(['multicolumn.hocr', 'hyphenated.hocr.html'])('%s: every ocrx_word is found', (name) => {
    const file = parseOcrFile(ocrFixture(name));
    expect(file.format).toBe('hocr');
    const words = file.pages.flatMap((p) => p.words);
    // Words whose span is empty carry nothing to index.
    expect(words.length).toBeGreaterThanOrEqual(wordCount(name) - 1);
    expect(words.length).toBeLessThanOrEqual(wordCount(name));
  });

  it('reads bbox and x_wconf, the page size from the ocr_page bbox', () => {
    const [page] = parseOcrFile(ocrFixture('multicolumn.hocr')).pages;
    expect(page).toMatchObject({ width: 2701, height: 3749, unit: 'pixel' });
    expect(page.words[0]).toMatchObject({ content: '-', confidence: 0.78, line: 0 });
    expect(page.words[0].polygon[0]).toEqual([
      Math.round((2234 / 2701) * 1e6) / 1e6,
      Math.round((64 / 3749) * 1e6) / 1e6,
    ]);
  });

  it('keeps the soft hyphen at a line end for the pipeline to join', () => {
    const words = parseOcrFile(ocrFixture('hyphenated.hocr.html')).pages[0].words;
    const i = words.findIndex((w) => w.content === 'verbun\u00AD');
    expect(i).toBeGreaterThan(0);
    expect(words[i + 1]).toMatchObject({ content: 'den' });
    expect(words[i + 1].line).toBe(words[i].line + 1);
  });

  it('tag soup: unclosed spans, unquoted attributes, unknown entities, a line without words', () => {
    const file = parseOcrFile(ocrFixture('hocr-tag-soup.html'));
    const [page] = file.pages;
    expect(page).toMatchObject({ width: 1200, height: 1600, imageName: 'scan_042.png' });
    expect(page.words.map((w) => [w.content, w.line])).toEqual([
      ['Fish\u00A0&', 0],
      ['Chips', 0],
      ['&bogus; menu', 0],
      ['Saturday', 1],
      ['market', 1],
      ['a', 2],
      ['line', 2],
      ['without', 2],
      ['word', 2],
      ['spans', 2],
    ]);
    expect(page.words[1].confidence).toBe(0.85);
  });

  it('takes the image size when the ocr_page has no bbox, and refuses without either', () => {
    const html = Buffer.from(
      '<html><body><div class="ocr_page"><span class="ocr_line"><span class="ocrx_word" title="bbox 10 10 50 20">hi</span></span></div></body></html>',
    );
    expect(() => parseHocr(html)).toThrow(InvalidOcrFileException);
    const [page] = parseHocr(html, { pageSize: () => ({ width: 100, height: 200 }) }).pages;
    expect(page.words[0].polygon).toEqual([
      [0.1, 0.05],
      [0.5, 0.05],
      [0.5, 0.1],
      [0.1, 0.1],
    ]);
  });

  it('parses title properties', () => {
    expect(Object.fromEntries(hocrProperties('bbox 1 2 3 4; x_wconf 93;image "a b.png"'))).toEqual({
      bbox: '1 2 3 4',
      x_wconf: '93',
      image: '"a b.png"',
    });
  });

  it('a word’s poly is its outline (a turned word), its bbox otherwise', () => {
    const hocr = Buffer.from(
      `<html><body><div class="ocr_page" title="bbox 0 0 1000 1000"><span class="ocr_line" title="bbox 100 100 210 160">` +
        `<span class="ocrx_word" title="bbox 100 100 210 160; poly 100 120 200 100 208 140 108 160">schräg</span>` +
        `<span class="ocrx_word" title="bbox 220 100 300 160; poly 1 2">gerade</span>` +
        `<span class="ocrx_word" title="bbox 320 100 400 160; poly 320 100 360 100 400 100">flach</span></span></div></body></html>`,
    );
    const [turned, straight, flat] = parseHocr(hocr).pages[0].words;
    expect(turned.polygon.slice(0, 2)).toEqual([
      [0.1, 0.12],
      [0.2, 0.1],
    ]);
    // A poly of fewer than 3 points is no outline: the bbox stands.
    expect(straight.polygon[0]).toEqual([0.22, 0.1]);
    // Nor is one of points on a line.
    expect(flat.polygon[2]).toEqual([0.4, 0.16]);
  });
});
