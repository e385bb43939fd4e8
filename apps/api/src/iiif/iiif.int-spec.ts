/**
 * IIIF on the HTTP contract: the manifest, Content Search 1.0 and 2.0 and autocomplete, checked
 * against their shapes.
 */
import { autocompleteV1Shape, autocompleteV2Shape, manifestV3Shape, searchV1Shape, searchV2Shape } from '@recto/iiif';
import { expectProblem } from '@recto/testing';
import Ajv from 'ajv';
import { KEY_B, useContractApi } from '../api-contract.fixture';

const api = useContractApi('iiif');

describe('IIIF', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const expectShape = (shape: object, body: unknown) => {
    const validate = ajv.compile(shape);
    expect(validate(body) ? [] : [body, validate.errors]).toEqual([]);
  };

  it('serves a manifest, Content Search 1.0 and 2.0 with xywh in canvas pixels, and autocomplete', async () => {
    const id = await api.processedWithWords([
      ['The', 'quick', 'brown', 'fox'],
      ['jumps', 'over', 'the', 'quiet', 'fox'],
    ]);
    const manifest = await api.asA(api.http.get(`/v1/documents/${id}/iiif/manifest`));
    expect(manifest.status).toBe(200);
    expect(manifest.headers['access-control-allow-origin']).toBe('*');
    expectShape(manifestV3Shape, manifest.body);
    expect(manifest.body.items[0]).toMatchObject({ width: 1000, height: 2000 });

    const v1 = await api.asA(api.http.get(`/v1/documents/${id}/iiif/search/1?q=fox&motivation=painting`));
    expect(v1.status).toBe(200);
    expectShape(searchV1Shape, v1.body);
    expect(v1.body.within).toMatchObject({ total: 2, ignored: ['motivation'] });
    // "fox" is word 4 of line 1 (x = 0.1 + 3 × 0.15 = 0.55, y = 0.1) on a 1000×2000 canvas.
    expect(v1.body.resources[0].on).toMatch(/#xywh=550,200,100,40$/);
    expect(v1.body.hits[0]).toMatchObject({
      match: 'fox',
      before: 'The quick brown ',
      after: ' jumps over the quiet fox',
    });

    const phrase = await api.asA(
      api.http.get(`/v1/documents/${id}/iiif/search/2?q=${encodeURIComponent('"quick brown"')}`),
    );
    expectShape(searchV2Shape, phrase.body);
    expect(phrase.body.items).toHaveLength(1);
    expect(phrase.body.items[0].body.value).toBe('quick brown');

    const v1auto = await api.asA(api.http.get(`/v1/documents/${id}/iiif/autocomplete/1?q=qu`));
    expectShape(autocompleteV1Shape, v1auto.body);
    expect(v1auto.body.terms.map((t: { match: string }) => t.match)).toEqual(['quick', 'quiet']);
    const v2auto = await api.asA(api.http.get(`/v1/documents/${id}/iiif/autocomplete/2?q=qu`));
    expectShape(autocompleteV2Shape, v2auto.body);

    expectProblem(await api.asA(api.http.get(`/v1/documents/${id}/iiif/search/3?q=fox`)), 404, 'not_found');
    expectProblem(
      await api.http.get(`/v1/documents/${id}/iiif/manifest`).set('Authorization', KEY_B),
      404,
      'document_not_found',
    );
  });
});
