import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainException } from '@recto/common';
import { toOcrResult } from './mindee-result.mapper';
import { MINDEE_OPENAPI_DIR, MINDEE_OPENAPI_FILES, MINDEE_SCHEMAS } from './mindee-schemas';
import { MindeeSchemaValidator } from './mindee-schema.validator';
import type { MindeeOcrResponse } from './mindee-types';

const response = (pages: MindeeOcrResponse['inference']['result']['pages']): MindeeOcrResponse => ({
  inference: {
    id: '6c1b6f50-0b4c-4d5f-9a4e-2f4b7b0c1a11',
    job: { id: '0b0b6f50-0b4c-4d5f-9a4e-2f4b7b0c1a22' },
    model: { id: '1c1b6f50-0b4c-4d5f-9a4e-2f4b7b0c1a33' },
    file: { name: 'scan.png', alias: null, page_count: pages.length, mime_type: 'image/png' },
    result: { pages },
  },
});

describe('toOcrResult', () => {
  it("keeps Mindee's polygons, adds lines, and takes page sizes from the file", () => {
    const polygon: [number, number][] = [
      [0.1, 0.1],
      [0.2, 0.1],
      [0.2, 0.12],
      [0.1, 0.12],
    ];
    const result = toOcrResult(
      response([
        {
          content: 'Hi',
          words: [
            { content: 'Hi', polygon },
            { content: ' ', polygon },
          ],
        },
      ]),
      [{ width: 754, height: 1000 }],
    );
    expect(result).toEqual({
      provider: 'mindee',
      pages: [
        {
          number: 1,
          width: 754,
          height: 1000,
          source: 'ocr',
          words: [{ content: 'Hi', polygon, confidence: null, line: 0 }],
        },
      ],
    });
  });

  it('refuses a result whose page count differs from the file', () => {
    expect(() => toOcrResult(response([]), [{ width: 1, height: 1 }])).toThrow(DomainException);
  });
});

describe('the embedded Mindee schemas', () => {
  it('are the vendored OpenAPI documents, merged', () => {
    const merged: Record<string, unknown> = {};
    for (const file of MINDEE_OPENAPI_FILES) {
      Object.assign(merged, JSON.parse(readFileSync(join(MINDEE_OPENAPI_DIR, file), 'utf8')).components.schemas);
    }
    expect(JSON.parse(JSON.stringify(MINDEE_SCHEMAS))).toEqual(merged);
  });

  // The vendored copies against Mindee's seed, where the optional ../shared/seed is beside the repo.
  const seed = join(__dirname, '..', '..', '..', '..', '..', '..', 'shared', 'seed');
  (existsSync(seed) ? it : it.skip)('are the seed documents, unchanged [needs ../shared/seed]', () => {
    for (const file of MINDEE_OPENAPI_FILES) {
      expect(readFileSync(join(MINDEE_OPENAPI_DIR, file), 'utf8')).toBe(readFileSync(join(seed, file), 'utf8'));
    }
  });

  it('reject a polygon outside the page and accept a conforming error', () => {
    const validator = new MindeeSchemaValidator();
    expect(
      validator.problems('WordOCR', {
        content: 'a',
        polygon: [
          [0, 0],
          [1, 0],
          [1, 1.5],
        ],
      }),
    ).not.toEqual([]);
    expect(validator.problems('ErrorResponse', { status: 429, title: 't', detail: 'd', code: 'c' })).toEqual([]);
  });
});
