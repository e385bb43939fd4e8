/**
 * JSON Schemas of the response shapes required by the IIIF specifications (Presentation 3.0,
 * Content Search 1.0 and 2.0), written from the specs' examples and MUST clauses. Used by tests.
 */
const uri = { type: 'string', pattern: '^https?://' };
const canvasFragment = { type: 'string', pattern: '^https?://\\S+#xywh=\\d+,\\d+,\\d+,\\d+$' };
const languageMap = {
  type: 'object',
  minProperties: 1,
  additionalProperties: { type: 'array', items: { type: 'string' } },
};

export const manifestV3Shape = {
  type: 'object',
  required: ['@context', 'id', 'type', 'label', 'items'],
  properties: {
    '@context': { const: 'http://iiif.io/api/presentation/3/context.json' },
    id: uri,
    type: { const: 'Manifest' },
    label: languageMap,
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'type', 'width', 'height', 'items'],
        properties: {
          id: uri,
          type: { const: 'Canvas' },
          width: { type: 'integer', minimum: 1 },
          height: { type: 'integer', minimum: 1 },
          items: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'type', 'items'],
              properties: {
                type: { const: 'AnnotationPage' },
                items: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['id', 'type', 'motivation', 'body', 'target'],
                    properties: {
                      type: { const: 'Annotation' },
                      motivation: { const: 'painting' },
                      body: {
                        type: 'object',
                        required: ['id', 'type', 'format'],
                        properties: { id: uri, type: { const: 'Image' } },
                      },
                      target: uri,
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    service: { type: 'array' },
  },
};

export const searchV1Shape = {
  type: 'object',
  required: ['@context', '@id', '@type', 'resources', 'within'],
  properties: {
    '@context': { type: 'array', contains: { const: 'http://iiif.io/api/search/1/context.json' } },
    '@id': uri,
    '@type': { const: 'sc:AnnotationList' },
    within: {
      type: 'object',
      required: ['@type', 'total'],
      properties: {
        '@type': { const: 'sc:Layer' },
        total: { type: 'integer', minimum: 0 },
        ignored: { type: 'array', items: { type: 'string' } },
      },
    },
    startIndex: { type: 'integer', minimum: 0 },
    next: uri,
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['@id', '@type', 'motivation', 'resource', 'on'],
        properties: {
          '@id': uri,
          '@type': { const: 'oa:Annotation' },
          motivation: { const: 'sc:painting' },
          resource: {
            type: 'object',
            required: ['@type', 'chars'],
            properties: { '@type': { const: 'cnt:ContentAsText' }, chars: { type: 'string' } },
          },
          on: canvasFragment,
        },
      },
    },
    hits: {
      type: 'array',
      items: {
        type: 'object',
        required: ['@type', 'annotations'],
        properties: {
          '@type': { const: 'search:Hit' },
          annotations: { type: 'array', minItems: 1, items: uri },
          match: { type: 'string' },
          before: { type: 'string' },
          after: { type: 'string' },
        },
      },
    },
  },
};

export const searchV2Shape = {
  type: 'object',
  required: ['@context', 'id', 'type', 'items'],
  properties: {
    '@context': { const: 'http://iiif.io/api/search/2/context.json' },
    id: uri,
    type: { const: 'AnnotationPage' },
    ignored: { type: 'array', items: { type: 'string' } },
    partOf: {
      type: 'object',
      required: ['id', 'type'],
      properties: { type: { const: 'AnnotationCollection' }, total: { type: 'integer' } },
    },
    next: { type: 'object', required: ['id', 'type'], properties: { type: { const: 'AnnotationPage' } } },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'type', 'motivation', 'target'],
        properties: {
          id: uri,
          type: { const: 'Annotation' },
          motivation: { const: 'highlighting' },
          target: canvasFragment,
        },
      },
    },
    annotations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'items'],
        properties: {
          type: { const: 'AnnotationPage' },
          items: {
            type: 'array',
            items: {
              type: 'object',
              required: ['type', 'motivation', 'target'],
              properties: {
                motivation: { const: 'contextualizing' },
                target: {
                  type: 'object',
                  required: ['type', 'source', 'selector'],
                  properties: {
                    type: { const: 'SpecificResource' },
                    selector: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['type', 'exact'],
                        properties: { type: { const: 'TextQuoteSelector' } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

export const autocompleteV1Shape = {
  type: 'object',
  required: ['@context', '@id', '@type', 'terms'],
  properties: {
    '@context': { const: 'http://iiif.io/api/search/1/context.json' },
    '@type': { const: 'search:TermList' },
    terms: {
      type: 'array',
      items: {
        type: 'object',
        required: ['match', 'url'],
        properties: { match: { type: 'string' }, url: uri, count: { type: 'integer' } },
      },
    },
  },
};

export const autocompleteV2Shape = {
  type: 'object',
  required: ['@context', 'id', 'type', 'items'],
  properties: {
    '@context': { const: 'http://iiif.io/api/search/2/context.json' },
    type: { const: 'TermPage' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['value'],
        properties: { value: { type: 'string' }, total: { type: 'integer' }, service: { type: 'array' } },
      },
    },
  },
};
