import { countTextCharacters, splitIntoWords, textLayerWords, type TextLayerItem } from './text-layer';

// pdfjs's viewport transform at scale 1 for an unrotated US letter page.
const LETTER = { viewportTransform: [1, 0, 0, -1, 0, 792], width: 612, height: 792 };

function item(str: string, x: number, y: number, size: number, width: number, hasEOL = false): TextLayerItem {
  return { str, transform: [size, 0, 0, size, x, y], width, height: size, fontName: 'f1', hasEOL };
}

describe('splitIntoWords', () => {
  it('splits on whitespace and places words by glyph widths', () => {
    const spans = splitIntoWords('ill MMM');
    expect(spans.map((s) => s.text)).toEqual(['ill', 'MMM']);
    // Narrow "ill" takes much less than the 3/7 of the width a character count would give.
    expect(spans[0].end).toBeLessThan(0.25);
    expect(spans[1].end).toBeCloseTo(1);
    expect(spans[0]).toMatchObject({ openStart: true, openEnd: false });
  });

  it('marks words touching the item edges as possibly continued', () => {
    expect(splitIntoWords(' Stra')[0]).toMatchObject({ openStart: false, openEnd: true });
    expect(splitIntoWords('   ')).toEqual([]);
  });
});

describe('textLayerWords', () => {
  const styles = { f1: { ascent: 0.75, descent: -0.25 } };

  it('turns items into words with top-left-origin relative polygons', () => {
    const words = textLayerWords({
      ...LETTER,
      styles,
      items: [item('Müller Straße', 100, 692, 20, 130)],
    });
    expect(words.map((w) => w.content)).toEqual(['Müller', 'Straße']);
    const [topLeft, topRight, bottomRight, bottomLeft] = words[0].polygon;
    expect(topLeft[0]).toBeCloseTo(100 / 612);
    expect(topLeft[1]).toBeCloseTo((792 - 692 - 15) / 792); // baseline + ascent, flipped
    expect(bottomLeft[1]).toBeCloseTo((792 - 692 + 5) / 792); // baseline + descent
    expect(topRight[1]).toBeCloseTo(topLeft[1]);
    expect(bottomRight[0]).toBeCloseTo(topRight[0]);
    expect(words[1].polygon[1][0]).toBeCloseTo(230 / 612);
    expect(words[0].polygon[1][0]).toBeLessThan(words[1].polygon[0][0]);
    expect(words[0].confidence).toBeNull();
  });

  it('glues word fragments split across touching items, and numbers lines', () => {
    const words = textLayerWords({
      ...LETTER,
      styles,
      items: [
        item('Hel', 100, 700, 10, 15),
        item('lo world', 115, 700, 10, 40, true),
        item('', 155, 700, 10, 0, true),
        item('Next line', 100, 686, 10, 45),
        item('same', 150, 686, 10, 22),
      ],
    });
    expect(words.map((w) => [w.content, w.line])).toEqual([
      ['Hello', 0],
      ['world', 0],
      ['Next', 1],
      ['line', 1],
      ['same', 1],
    ]);
    expect(words[0].polygon[0][0]).toBeCloseTo(100 / 612);
  });

  it('follows rotated text', () => {
    // Text running upwards (rotated 90° counter-clockwise) from (100, 100).
    const rotated: TextLayerItem = {
      ...item('Up', 0, 0, 10, 20),
      transform: [0, 10, -10, 0, 100, 100],
    };
    const [word] = textLayerWords({ ...LETTER, styles, items: [rotated] });
    const xs = word.polygon.map((p) => p[0] * 612);
    const ys = word.polygon.map((p) => 792 - p[1] * 792);
    expect(Math.min(...ys)).toBeCloseTo(100);
    expect(Math.max(...ys)).toBeCloseTo(120);
    expect(Math.max(...xs) - Math.min(...xs)).toBeCloseTo(10);
  });
});

describe('countTextCharacters', () => {
  it('counts letters and digits only', () => {
    expect(countTextCharacters([{ str: 'Page 12 — ' }, { str: 'société' }])).toBe(13);
  });
});
