import type { IiifPage, JsonObject } from './iiif-types';
import { IiifUrls } from './iiif-urls';

export interface ManifestInput {
  urls: IiifUrls;
  label: string;
  metadata: Record<string, string | number | boolean>;
  pages: IiifPage[];
  /** False for an OCR-only document: canvases keep their size and search, with no image to paint. */
  withImages?: boolean;
}

/** The painting image's largest side when a viewer does not use the image service. */
const PAINTING_WIDTH = 1600;

/**
 * The page as an Image API request of an exact `w,h` (so the image is exactly the size declared
 * here, whatever rounding a client would do), with its level 2 service for deep zoom.
 */
function paintingBody(urls: IiifUrls, page: IiifPage): JsonObject {
  const image = page.image ?? page;
  const width = Math.min(image.width, PAINTING_WIDTH);
  const height = Math.max(1, Math.round((image.height * width) / image.width));
  const service = urls.imageService(page.number);
  return {
    id: `${service}/full/${width},${height}/0/default.jpg`,
    type: 'Image',
    format: 'image/jpeg',
    width,
    height,
    service: [{ id: service, type: 'ImageService3', profile: 'level2' }],
  };
}

/** A IIIF Presentation 3 manifest: one canvas per page, its image, and both search services. */
export function buildManifest({ urls, label, metadata, pages, withImages = true }: ManifestInput): JsonObject {
  return {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id: urls.manifest(),
    type: 'Manifest',
    label: { none: [label] },
    metadata: Object.entries(metadata).map(([k, v]) => ({ label: { none: [k] }, value: { none: [String(v)] } })),
    items: pages.map((page) => ({
      id: urls.canvas(page.number),
      type: 'Canvas',
      label: { none: [`p. ${page.number}`] },
      width: page.width,
      height: page.height,
      items: [
        {
          id: urls.annotationPage(page.number),
          type: 'AnnotationPage',
          items: [
            ...(withImages ? [0] : []).map(() => ({
              id: urls.painting(page.number),
              type: 'Annotation',
              motivation: 'painting',
              body: paintingBody(urls, page),
              target: urls.canvas(page.number),
            })),
          ],
        },
      ],
    })),
    service: [
      {
        '@context': 'http://iiif.io/api/search/1/context.json',
        '@id': urls.search(1),
        profile: 'http://iiif.io/api/search/1/search',
        label: 'Search within this document',
        service: { '@id': urls.autocomplete(1), profile: 'http://iiif.io/api/search/1/autocomplete' },
      },
      {
        id: urls.search(2),
        type: 'SearchService2',
        service: [{ id: urls.autocomplete(2), type: 'AutoCompleteService2' }],
      },
    ],
  };
}
