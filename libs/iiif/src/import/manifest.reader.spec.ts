import { ErrorCode } from '@recto/common';
import { readManifest } from './manifest.reader';

// Shapes as institutions publish them: a Presentation 3 manifest with an Image API 3 service and
// ALTO in seeAlso (and annotation pages on the canvas without), and a Presentation 2.1 one with an
// Image API 2 service, hOCR in seeAlso and a plain image with annotation lists in otherContent.
const v3 = {
  '@context': 'http://iiif.io/api/presentation/3/context.json',
  id: 'https://archive.example/iiif/book/manifest',
  type: 'Manifest',
  label: { de: ['Die Frau und der Sozialismus'] },
  items: [
    {
      id: 'https://archive.example/iiif/book/canvas/p1',
      type: 'Canvas',
      label: { none: ['1r'] },
      width: 4000,
      height: 6000,
      items: [
        {
          id: 'https://archive.example/iiif/book/page/p1',
          type: 'AnnotationPage',
          items: [
            {
              id: 'https://archive.example/iiif/book/annotation/p1',
              type: 'Annotation',
              motivation: 'painting',
              body: {
                id: 'https://images.example/iiif/3/p1/full/max/0/default.jpg',
                type: 'Image',
                format: 'image/jpeg',
                service: [{ id: 'https://images.example/iiif/3/p1', type: 'ImageService3', profile: 'level1' }],
              },
              target: 'https://archive.example/iiif/book/canvas/p1',
            },
          ],
        },
      ],
      seeAlso: [
        { id: 'https://archive.example/book/p1.html', type: 'Text', format: 'text/html' },
        {
          id: 'https://archive.example/book/p1.alto.xml',
          type: 'Dataset',
          format: 'application/xml',
          profile: 'http://www.loc.gov/standards/alto/v4/alto.xsd',
        },
      ],
    },
    {
      id: 'https://archive.example/iiif/book/canvas/p2',
      type: 'Canvas',
      width: 4000,
      height: 6000,
      items: [
        {
          id: 'https://archive.example/iiif/book/page/p2',
          type: 'AnnotationPage',
          items: [
            {
              id: 'https://archive.example/iiif/book/annotation/p2',
              type: 'Annotation',
              motivation: 'painting',
              body: {
                type: 'Choice',
                items: [
                  { id: 'https://images.example/p2-colour.jpg', type: 'Image' },
                  { id: 'https://images.example/p2-ir.jpg' },
                ],
              },
              target: 'https://archive.example/iiif/book/canvas/p2',
            },
          ],
        },
      ],
      // Transcriptions as annotations: one page referenced, one inline.
      annotations: [
        { id: 'https://archive.example/iiif/book/annotations/p2-words', type: 'AnnotationPage' },
        {
          id: 'https://archive.example/iiif/book/annotations/p2-lines',
          type: 'AnnotationPage',
          items: [{ type: 'Annotation', motivation: 'supplementing' }],
        },
      ],
    },
  ],
};

const v2 = {
  '@context': 'http://iiif.io/api/presentation/2/context.json',
  '@id': 'https://library.example/iiif/ms42/manifest.json',
  '@type': 'sc:Manifest',
  label: [{ '@value': 'MS 42', '@language': 'en' }],
  sequences: [
    {
      '@type': 'sc:Sequence',
      canvases: [
        {
          '@id': 'https://library.example/iiif/ms42/canvas/c1',
          '@type': 'sc:Canvas',
          label: 'f. 1r',
          width: '2000',
          height: 3000,
          images: [
            {
              '@type': 'oa:Annotation',
              motivation: 'sc:painting',
              resource: {
                '@id': 'https://library.example/iiif/2/c1/full/full/0/default.jpg',
                '@type': 'dctypes:Image',
                service: {
                  '@context': 'http://iiif.io/api/image/2/context.json',
                  '@id': 'https://library.example/iiif/2/c1/',
                  profile: 'http://iiif.io/api/image/2/level2.json',
                },
              },
              on: 'https://library.example/iiif/ms42/canvas/c1',
            },
          ],
          seeAlso: { '@id': 'https://library.example/ocr/c1.hocr', format: 'text/vnd.hocr+html' },
        },
        {
          '@id': 'https://library.example/iiif/ms42/canvas/c2',
          '@type': 'sc:Canvas',
          width: 2000,
          height: 3000,
          images: [{ resource: { '@id': 'https://library.example/scans/c2.png', '@type': 'dctypes:Image' } }],
          otherContent: [
            { '@id': 'https://library.example/iiif/ms42/list/c2', '@type': 'sc:AnnotationList' },
            'https://library.example/iiif/ms42/list/c2-notes',
          ],
        },
      ],
    },
  ],
};

describe('readManifest', () => {
  it('reads a Presentation 3 manifest: canvas ids and spaces, the image through its service at max, ALTO', () => {
    const m = readManifest(v3);
    expect(m).toMatchObject({ version: 3, id: v3.id, label: 'Die Frau und der Sozialismus' });
    expect(m.canvases).toEqual([
      {
        id: 'https://archive.example/iiif/book/canvas/p1',
        label: '1r',
        width: 4000,
        height: 6000,
        imageUrl: 'https://images.example/iiif/3/p1/full/max/0/default.jpg',
        ocr: { url: 'https://archive.example/book/p1.alto.xml', format: 'alto' },
        annotations: [],
      },
      {
        id: 'https://archive.example/iiif/book/canvas/p2',
        label: null,
        width: 4000,
        height: 6000,
        imageUrl: 'https://images.example/p2-colour.jpg',
        ocr: null,
        annotations: [
          { url: 'https://archive.example/iiif/book/annotations/p2-words' },
          { inline: v3.items[1].annotations![1] },
        ],
      },
    ]);
  });

  it('reads a Presentation 2.1 manifest: the Image API 2 service at full, hOCR, a plain image', () => {
    const m = readManifest(v2);
    expect(m).toMatchObject({ version: 2, id: v2['@id'], label: 'MS 42' });
    expect(m.canvases.map((c) => [c.id, c.width, c.height, c.imageUrl, c.ocr?.format ?? null])).toEqual([
      [
        'https://library.example/iiif/ms42/canvas/c1',
        2000,
        3000,
        'https://library.example/iiif/2/c1/full/full/0/default.jpg',
        'hocr',
      ],
      ['https://library.example/iiif/ms42/canvas/c2', 2000, 3000, 'https://library.example/scans/c2.png', null],
    ]);
    expect(m.canvases[1].annotations).toEqual([
      { url: 'https://library.example/iiif/ms42/list/c2' },
      { url: 'https://library.example/iiif/ms42/list/c2-notes' },
    ]);
  });

  it.each([
    ['not an object', [1, 2], /not a JSON object/],
    [
      'a collection',
      { '@context': 'http://iiif.io/api/presentation/3/context.json', type: 'Collection' },
      /type is Collection/,
    ],
    ['no canvases', { ...v3, items: [] }, /no canvases/],
    [
      'a canvas without size',
      { ...v3, items: [{ ...v3.items[0], width: undefined }] },
      /canvas 1 .* no width and height/,
    ],
    [
      'a canvas without image',
      { ...v2, sequences: [{ canvases: [{ ...v2.sequences[0].canvases[1], images: [] }] }] },
      /paints no image/,
    ],
    [
      'an image service JSON',
      { '@context': 'http://iiif.io/api/image/3/context.json', type: 'ImageService3' },
      /neither/,
    ],
  ])('refuses %s as iiif_not_a_manifest', (_name, json, message) => {
    expect(() => readManifest(json)).toThrow(message);
    try {
      readManifest(json);
    } catch (err) {
      expect(err).toMatchObject({ code: ErrorCode.IiifNotAManifest, errors: [{ pointer: '/iiif_manifest' }] });
    }
  });
});
