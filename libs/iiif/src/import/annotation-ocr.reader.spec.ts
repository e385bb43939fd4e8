import type { OcrWord } from '@recto/ocr';
import { readAnnotationOcr } from './annotation-ocr.reader';

// Annotation pages in the shapes institutions publish them.

/**
 * Presentation 2.1, line-level transcriptions as a `sc:AnnotationList` (the shape of Stanford's
 * and e-codices' transcription lists): blank-node ids, `sc:painting`, `cnt:ContentAsText` with a
 * language, `on` a canvas with an `#xywh` fragment. One list serves two canvases.
 */
const V2_CANVAS = { id: 'https://dms.example/manifests/kq131cs7229/canvas/canvas-3', width: 1800, height: 2600 };
const v2Lines = {
  '@context': 'http://iiif.io/api/presentation/2/context.json',
  '@id': 'https://dms.example/manifests/kq131cs7229/list/text-f8r.json',
  '@type': 'sc:AnnotationList',
  resources: [
    {
      '@id': '_:N43deaea09a5345379218db8cb72600c3',
      '@type': 'oa:Annotation',
      motivation: 'sc:painting',
      resource: {
        '@id': '7377e5fe51c46454bb01b62a817a4d42',
        '@type': 'cnt:ContentAsText',
        format: 'text/plain',
        chars: 'Erant aut[em] qui manducaverant',
        language: 'lat',
      },
      on: `${V2_CANVAS.id}#xywh=600,450,1017,166`,
    },
    {
      '@id': '_:N14eeb4370547431db7bb7fc075e43210',
      '@type': 'oa:Annotation',
      motivation: 'sc:painting',
      resource: { '@type': 'cnt:ContentAsText', format: 'text/plain', chars: 'quasi quatuor milia', language: 'lat' },
      on: `${V2_CANVAS.id}#xywh=600,616,1017,153`,
    },
    {
      '@id': '_:N0other',
      '@type': 'oa:Annotation',
      motivation: 'sc:painting',
      resource: { '@type': 'cnt:ContentAsText', format: 'text/plain', chars: 'et dimisit eos' },
      on: 'https://dms.example/manifests/kq131cs7229/canvas/canvas-4#xywh=600,450,1017,166',
    },
  ],
};

/** Presentation 2.1 notes as an annotation tool (Mirador 2) stores them: `oa:commenting`, HTML, a Choice of selectors. */
const v2Notes = {
  '@context': 'http://iiif.io/api/presentation/2/context.json',
  '@id': 'https://annotations.example/lists/canvas-3-notes',
  '@type': 'sc:AnnotationList',
  resources: [
    {
      '@id': 'https://annotations.example/anno/1',
      '@type': 'oa:Annotation',
      motivation: ['oa:commenting'],
      resource: [
        { '@type': 'dctypes:Text', format: 'text/html', chars: '<p>Marginal&nbsp;gloss</p>' },
        { '@type': 'oa:Tag', chars: 'gloss' },
      ],
      on: [
        {
          '@type': 'oa:SpecificResource',
          full: V2_CANVAS.id,
          selector: {
            '@type': 'oa:Choice',
            default: { '@type': 'oa:FragmentSelector', value: 'xywh=100,200,300,50' },
            item: {
              '@type': 'oa:SvgSelector',
              value: '<svg xmlns="http://www.w3.org/2000/svg"><path d="M100,200"/></svg>',
            },
          },
          within: { '@id': 'https://dms.example/manifests/kq131cs7229/manifest', '@type': 'sc:Manifest' },
        },
      ],
    },
    {
      '@id': 'https://annotations.example/anno/2',
      '@type': 'oa:Annotation',
      motivation: 'oa:tagging',
      resource: { '@type': 'oa:Tag', chars: 'illumination' },
      on: V2_CANVAS.id,
    },
  ],
};

/**
 * Presentation 3, word-level OCR as `supplementing` TextualBody annotations with the
 * text-granularity extension (the shape of newspaper portals' and the cookbook's): targets as
 * strings, as `pixel:` fragments and as a SpecificResource with a FragmentSelector; the painting
 * annotation, a tag, a whole-canvas description and glyphs beside them.
 */
const V3_CANVAS = { id: 'https://news.example/iiif/1890-03-01/canvas/p1', width: 4000, height: 5000 };
const v3Words = {
  '@context': [
    'http://iiif.io/api/extension/text-granularity/context.json',
    'http://iiif.io/api/presentation/3/context.json',
  ],
  id: 'https://news.example/iiif/1890-03-01/annotations/p1-words',
  type: 'AnnotationPage',
  items: [
    {
      id: 'https://news.example/iiif/1890-03-01/annotation/p1-painting',
      type: 'Annotation',
      motivation: 'painting',
      body: { id: 'https://news.example/iiif/3/p1/full/max/0/default.jpg', type: 'Image', format: 'image/jpeg' },
      target: V3_CANVAS.id,
    },
    ...[
      ['Berliner', '410,500,300,60'],
      ['Tageblatt', '730,504,320,58'],
      ['Morgen-Ausgabe', 'pixel:410,600,500,50'],
    ].map(([value, xywh], i) => ({
      id: `https://news.example/iiif/1890-03-01/annotation/p1-w${i}`,
      type: 'Annotation',
      motivation: 'supplementing',
      textGranularity: 'word',
      body: { type: 'TextualBody', value, format: 'text/plain', language: 'de' },
      target: `${V3_CANVAS.id}#xywh=${xywh}`,
    })),
    {
      id: 'https://news.example/iiif/1890-03-01/annotation/p1-w3',
      type: 'Annotation',
      motivation: ['supplementing'],
      textGranularity: 'word',
      body: [{ type: 'TextualBody', value: 'Preis', format: 'text/plain', language: 'de' }],
      target: {
        type: 'SpecificResource',
        source: { id: V3_CANVAS.id, type: 'Canvas', partOf: [{ id: 'https://news.example/m', type: 'Manifest' }] },
        selector: {
          type: 'FragmentSelector',
          conformsTo: 'http://www.w3.org/TR/media-frags/',
          value: 'xywh=930,600,150,50',
        },
      },
    },
    {
      id: 'https://news.example/iiif/1890-03-01/annotation/p1-tag',
      type: 'Annotation',
      motivation: 'tagging',
      body: { type: 'TextualBody', value: 'masthead', purpose: 'tagging' },
      target: `${V3_CANVAS.id}#xywh=400,480,700,200`,
    },
    {
      id: 'https://news.example/iiif/1890-03-01/annotation/p1-summary',
      type: 'Annotation',
      motivation: 'supplementing',
      textGranularity: 'page',
      body: { type: 'TextualBody', value: 'Berliner Tageblatt, front page', format: 'text/plain' },
      target: V3_CANVAS.id,
    },
    {
      id: 'https://news.example/iiif/1890-03-01/annotation/p1-g0',
      type: 'Annotation',
      motivation: 'supplementing',
      textGranularity: 'glyph',
      body: { type: 'TextualBody', value: 'B', format: 'text/plain' },
      target: `${V3_CANVAS.id}#xywh=410,500,40,60`,
    },
  ],
};

/** Presentation 3, line- and block-level text, as percentages of the canvas (an HTML body among them). */
const v3Lines = {
  '@context': 'http://iiif.io/api/presentation/3/context.json',
  id: 'https://news.example/iiif/1890-03-01/annotations/p1-lines',
  type: 'AnnotationPage',
  items: [
    {
      id: 'https://news.example/iiif/1890-03-01/annotation/p1-l0',
      type: 'Annotation',
      motivation: 'supplementing',
      textGranularity: 'line',
      body: { type: 'TextualBody', value: 'Neueste Nachrichten aus', format: 'text/plain', language: 'de' },
      target: `${V3_CANVAS.id}#xywh=percent:10,20,50,2`,
    },
    {
      id: 'https://news.example/iiif/1890-03-01/annotation/p1-b1',
      type: 'Annotation',
      motivation: 'supplementing',
      textGranularity: 'block',
      body: {
        type: 'TextualBody',
        value: '<style>p { margin: 0 }</style><p>Wien, <b>28.</b> Februar</p><p>Der Kaiser</p>',
        format: 'text/html',
      },
      target: `${V3_CANVAS.id}#xywh=400,1200,1000,200`,
    },
  ],
};

/** The word's polygon as an axis-aligned box in canvas units: [x0, y0, x1, y1]. */
function boxOf(word: OcrWord, canvas: { width: number; height: number }): number[] {
  const xs = word.polygon.map((p) => p[0] * canvas.width);
  const ys = word.polygon.map((p) => p[1] * canvas.height);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const expectBox = (actual: number[], expected: number[]) =>
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 2));

describe('readAnnotationOcr', () => {
  it('reads word-level Presentation 3 annotations: one word each, its xywh over the canvas size', () => {
    const words = readAnnotationOcr(V3_CANVAS, [v3Words]);
    expect(words.map((w) => [w.content, w.line, w.confidence])).toEqual([
      ['Berliner', 0, null],
      ['Tageblatt', 0, null],
      ['Morgen-Ausgabe', 1, null],
      ['Preis', 1, null],
    ]);
    // Relative, clockwise from the top-left, exactly the fragment's box.
    expect(words[0].polygon).toEqual([
      [410 / 4000, 500 / 5000],
      [710 / 4000, 500 / 5000],
      [710 / 4000, 560 / 5000],
      [410 / 4000, 560 / 5000],
    ]);
    expectBox(boxOf(words[2], V3_CANVAS), [410, 600, 910, 650]);
    expectBox(boxOf(words[3], V3_CANVAS), [930, 600, 1080, 650]);
  });

  it('cuts line-level Presentation 2 annotations into words in proportion to their characters, one line each', () => {
    const words = readAnnotationOcr(V2_CANVAS, [v2Lines]);
    expect(words.map((w) => [w.content, w.line])).toEqual([
      ['Erant', 0],
      ['aut[em]', 0],
      ['qui', 0],
      ['manducaverant', 0],
      ['quasi', 1],
      ['quatuor', 1],
      ['milia', 1],
    ]);
    // 31 characters, spaces included: "Erant" is the first 5/31 of the line's width, "aut[em]" 6/31 on.
    const unit = 1017 / 31;
    expectBox(boxOf(words[0], V2_CANVAS), [600, 450, 600 + 5 * unit, 616]);
    expectBox(boxOf(words[1], V2_CANVAS), [600 + 6 * unit, 450, 600 + 13 * unit, 616]);
    // The line's words together span its annotation's box: a whole-line highlight is the line.
    const line = words.filter((w) => w.line === 0).map((w) => boxOf(w, V2_CANVAS));
    expectBox(
      [Math.min(...line.map((b) => b[0])), line[0][1], Math.max(...line.map((b) => b[2])), line[0][3]],
      [600, 450, 1617, 616],
    );
    // The annotation of the other canvas sharing the list is not this canvas's.
    expect(words.map((w) => w.content)).not.toContain('dimisit');
  });

  it('reads percent fragments, and a block of several lines as bands of its box; HTML as its text', () => {
    const words = readAnnotationOcr(V3_CANVAS, [v3Lines]);
    expect(words.map((w) => [w.content, w.line])).toEqual([
      ['Neueste', 0],
      ['Nachrichten', 0],
      ['aus', 0],
      ['Wien,', 1],
      ['28.', 1],
      ['Februar', 1],
      ['Der', 2],
      ['Kaiser', 2],
    ]);
    // percent:10,20,50,2 of 4000×5000 is 400,1000,2000,100.
    expectBox(boxOf(words[0], V3_CANVAS), [400, 1000, 400 + (2000 * 7) / 23, 1100]);
    // The block's two lines: the upper and lower halves of its 200 units.
    expect(boxOf(words[3], V3_CANVAS)[1]).toBeCloseTo(1200, 2);
    expect(boxOf(words[3], V3_CANVAS)[3]).toBeCloseTo(1300, 2);
    expectBox(boxOf(words[7], V3_CANVAS), [400 + (1000 * 4) / 10, 1300, 1400, 1400]);
  });

  it('reads comments only where a canvas has no transcription, through a Choice of selectors', () => {
    expect(readAnnotationOcr(V2_CANVAS, [v2Lines, v2Notes]).map((w) => w.content)).not.toContain('Marginal');
    const notes = readAnnotationOcr(V2_CANVAS, [v2Notes]);
    expect(notes.map((w) => w.content)).toEqual(['Marginal', 'gloss']);
    expectBox(boxOf(notes[1], V2_CANVAS), [100 + (300 * 9) / 14, 200, 400, 250]);
  });

  it('reads SVG regions (slanted lines get slanted words), preferring a FragmentSelector beside one', () => {
    const svg = (shape: string) => `<svg xmlns="http://www.w3.org/2000/svg">${shape}</svg>`;
    const annotation = (value: string, selector: unknown) => ({
      type: 'Annotation',
      motivation: 'supplementing',
      body: { type: 'TextualBody', value, format: 'text/plain' },
      target: { type: 'SpecificResource', source: V3_CANVAS.id, selector },
    });
    const page = {
      type: 'AnnotationPage',
      items: [
        // A line rising to the right (Annotorious): 1000 units long, 50 high, turned about 5.7°.
        annotation('Gazette du soir', {
          type: 'SvgSelector',
          value: svg('<polygon points="1000,1100 1995,1000 2000,1050 1005,1150"/>'),
        }),
        // Mirador 3 writes both: the fragment is exact, the path only drawn.
        annotation('Paris', [
          { type: 'SvgSelector', value: svg('<path d="M0,0h10v10h-10z"/>') },
          { type: 'FragmentSelector', conformsTo: 'http://www.w3.org/TR/media-frags/', value: 'xywh=2200,1000,300,60' },
        ]),
      ],
    };
    const words = readAnnotationOcr(V3_CANVAS, [page]);
    expect(words.map((w) => [w.content, w.line])).toEqual([
      ['Gazette', 0],
      ['du', 0],
      ['soir', 0],
      ['Paris', 1],
    ]);
    // Each word's polygon is slanted as its line: its top edge rises by a tenth of its length.
    for (const word of words.slice(0, 3)) {
      const [[x0, y0], [x1, y1]] = word.polygon.map(([x, y]) => [x * V3_CANVAS.width, y * V3_CANVAS.height]);
      expect((y0 - y1) / (x1 - x0)).toBeCloseTo(0.1, 2);
    }
    expectBox(boxOf(words[3], V3_CANVAS), [2200, 1000, 2500, 1060]);
  });

  it('reads text offered at two granularities once, at the finer; the same lines twice once', () => {
    const lineOverWords = {
      type: 'AnnotationPage',
      textGranularity: 'line',
      items: [
        {
          type: 'Annotation',
          motivation: 'supplementing',
          textGranularity: 'line',
          body: { type: 'TextualBody', value: 'Berliner Tageblatt', format: 'text/plain' },
          target: `${V3_CANVAS.id}#xywh=400,495,660,70`,
        },
      ],
    };
    const words = readAnnotationOcr(V3_CANVAS, [lineOverWords, v3Words]);
    expect(words).toEqual(readAnnotationOcr(V3_CANVAS, [v3Words]));
    const twice = readAnnotationOcr(V3_CANVAS, [v3Lines, { ...v3Lines, id: 'https://mirror.example/p1-lines' }]);
    expect(twice).toEqual(readAnnotationOcr(V3_CANVAS, [v3Lines]));
    // A line over a smaller region of other text is kept (a caption over a stamp, say).
    const over = {
      type: 'AnnotationPage',
      items: [{ ...lineOverWords.items[0], body: { type: 'TextualBody', value: 'Abend Blatt' } }],
    };
    over.items[0].target = `${V3_CANVAS.id}#xywh=900,590,300,80`;
    const other = { ...v3Words, items: v3Words.items.filter((a) => a.id.endsWith('-w3')) };
    expect(readAnnotationOcr(V3_CANVAS, [over, other]).map((w) => w.content)).toEqual(['Abend', 'Blatt', 'Preis']);
  });

  it('finds no words where no annotation has text on a region of the canvas', () => {
    const pageOnly = { ...v3Words, items: v3Words.items.filter((a) => !a.id.includes('-w')) };
    expect(readAnnotationOcr(V3_CANVAS, [pageOnly])).toEqual([]);
    expect(readAnnotationOcr({ ...V3_CANVAS, id: 'https://news.example/other' }, [v3Words, v3Lines])).toEqual([]);
    expect(readAnnotationOcr(V3_CANVAS, [null, 'x', { items: 'none' }, { type: 'AnnotationPage' }])).toEqual([]);
  });

  it('clips regions to the canvas and skips empty or malformed ones', () => {
    const page = {
      type: 'AnnotationPage',
      items: [
        ['edge', 'xywh=3900,4950,300,100'],
        ['empty', 'xywh=100,100,0,20'],
        ['bad', 'xywh=1,2,3'],
        ['outside', 'xywh=5000,100,20,20'],
      ].map(([value, fragment]) => ({
        type: 'Annotation',
        motivation: 'supplementing',
        body: { type: 'TextualBody', value },
        target: `${V3_CANVAS.id}#${fragment}`,
      })),
    };
    const words = readAnnotationOcr(V3_CANVAS, [page]);
    expect(words.map((w) => w.content)).toEqual(['edge']);
    expectBox(boxOf(words[0], V3_CANVAS), [3900, 4950, 4000, 5000]);
  });
});
