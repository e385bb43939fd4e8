import { parseOcrFile } from '@recto/ocr-formats';
import { writeAnnotationAlto } from './annotation-alto.writer';
import { readAnnotationOcr } from './annotation-ocr.reader';

const canvas = { id: 'https://library.example/iiif/ms42/canvas/c2', width: 2000, height: 3000 };
const page = {
  '@type': 'sc:AnnotationList',
  resources: [
    ['Incipit liber primus', 'xywh=210,400,1333,97'],
    ['de natura rerum', 'xywh=210,510,1021,95'],
  ].map(([chars, fragment]) => ({
    '@type': 'oa:Annotation',
    motivation: 'sc:painting',
    resource: { '@type': 'cnt:ContentAsText', chars },
    on: `${canvas.id}#${fragment}`,
  })),
};

describe('writeAnnotationAlto', () => {
  const words = readAnnotationOcr(canvas, [page]);

  it('is ALTO that reads back as the same words, lines and order, boxes within half a canvas unit', () => {
    const file = parseOcrFile(writeAnnotationAlto(canvas, words, 'MS 42'));
    expect(file.format).toBe('alto');
    expect(file.pages).toHaveLength(1);
    expect(file.pages[0]).toMatchObject({ width: 2000, height: 3000 });
    const read = file.pages[0].words;
    expect(read.map((w) => [w.content, w.line])).toEqual(words.map((w) => [w.content, w.line]));
    read.forEach((w, i) =>
      w.polygon.forEach(([x, y], j) => {
        expect(Math.abs(x - words[i].polygon[j][0]) * canvas.width).toBeLessThanOrEqual(0.5 + 1e-9);
        expect(Math.abs(y - words[i].polygon[j][1]) * canvas.height).toBeLessThanOrEqual(0.5 + 1e-9);
      }),
    );
  });

  it('makes the same bytes for the same words, whenever it is written (no clock in the file)', async () => {
    const first = writeAnnotationAlto(canvas, words, 'MS 42');
    await new Promise((r) => setTimeout(r, 5));
    expect(writeAnnotationAlto(canvas, words, 'MS 42').equals(first)).toBe(true);
  });
});
