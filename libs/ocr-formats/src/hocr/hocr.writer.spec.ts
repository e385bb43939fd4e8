import { hasTool, xmllint } from '@recto/testing';
import { samplePage, SAMPLE_META } from '../writing/sample-pages.fixture';
import { HocrWriter } from './hocr.writer';

const write = (pages = [samplePage(1), samplePage(2)]) => {
  const writer = new HocrWriter(SAMPLE_META, pages.length);
  return writer.begin() + pages.map((p) => writer.page(p)).join('') + writer.end();
};

/** The `title` properties of every element with a given hOCR class, in document order. */
function titles(hocr: string, cls: string): string[] {
  return [...hocr.matchAll(new RegExp(`class="${cls}" id="[^"]+" title="([^"]*)"`, 'g'))].map((m) => m[1]);
}

// hOCR has no schema: it must be well-formed XHTML and carry the properties the hOCR 1.2 spec defines.
(hasTool('xmllint') ? it : it.skip)('is well-formed XHTML', () => {
  const result = xmllint(write());
  expect(result.errors).toBe('');
  expect(result.ok).toBe(true);
});

describe('HocrWriter', () => {
  const hocr = write();

  it('declares the producing system, its capabilities and the page count', () => {
    expect(hocr).toContain('<html xmlns="http://www.w3.org/1999/xhtml"');
    expect(hocr).toMatch(/<meta name="ocr-system" content="Recto \(text recognised by: local\)"\/>/);
    expect(hocr).toContain('<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_line ocrx_word"/>');
    expect(hocr).toContain('<meta name="ocr-number-of-pages" content="2"/>');
  });

  it('gives every page its image, size and number, and every element a bbox in pixels', () => {
    expect(titles(hocr, 'ocr_page')).toEqual([
      'image &quot;Zeitung &amp; &apos;Blatt&apos; &lt;1&gt;.png&quot;; bbox 0 0 1000 1400; ppageno 0',
      'image &quot;Zeitung &amp; &apos;Blatt&apos; &lt;1&gt;.png&quot;; bbox 0 0 1000 1400; ppageno 1',
    ]);
    expect(titles(hocr, 'ocr_carea')).toHaveLength(4);
    expect(titles(hocr, 'ocr_line').slice(0, 4)).toEqual([
      'bbox 100 100 400 140',
      'bbox 100 400 280 430',
      'bbox 100 440 330 470',
      'bbox 100 476 201 511',
    ]);
    for (const title of [...titles(hocr, 'ocr_carea'), ...titles(hocr, 'ocr_line'), ...titles(hocr, 'ocrx_word')]) {
      expect(title).toMatch(/^bbox \d+ \d+ \d+ \d+(;|$)/);
    }
  });

  it('writes words with x_wconf 0–100 (none when unknown), text as printed and escaped, ids unique', () => {
    expect(hocr).toContain('<span class="ocrx_word" id="word_1_1" title="bbox 100 100 160 140; x_wconf 91">Die</span>');
    expect(hocr).toContain('title="bbox 100 400 170 430; x_wconf 91">A&amp;B</span>');
    expect(hocr).toContain('<span class="ocrx_word" id="word_1_4" title="bbox 185 400 280 430">ent-</span>');
    expect(hocr).toContain(
      'title="bbox 100 476 201 511; poly 100 490 200 476 201 497 101 511; x_wconf 70">schräg</span>',
    );
    const ids = [...hocr.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
