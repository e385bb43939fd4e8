import type { IiifPage, JsonObject } from './iiif-types';
import { IiifUrls } from './iiif-urls';

export interface ManifestInput {
  urls: IiifUrls;
  label: string;
  metadata: Record<string, string | number | boolean>;
  pages: IiifPage[];
}

/** A IIIF Presentation 3 manifest: one canvas per page, its image, and both search services. */
export function buildManifest({ urls, label, metadata, pages }: ManifestInput): JsonObject {
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
            {
              id: urls.painting(page.number),
              type: 'Annotation',
              motivation: 'painting',
              body: {
                id: urls.image(page.number, page.width),
                type: 'Image',
                format: 'image/webp',
                width: page.width,
                height: page.height,
              },
              target: urls.canvas(page.number),
            },
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
