/**
 * Export as a user gets it: a real scan through the built api and worker with local OCR, exported
 * as a searchable PDF (read back by poppler, as viewers find and select text) and as ALTO and PAGE
 * (validated against their published schemas).
 */
import {
  ALTO_4_XSD,
  hasTool,
  testPage,
  PAGE_2019_XSD,
  pdfTextLayout,
  RectoStack,
  scoreTextLayer,
  startRectoStack,
  xmllint,
} from '@recto/testing';

const ready = hasTool('pdftotext') && hasTool('xmllint');
if (!ready)
  console.warn(
    'export e2e skipped: needs poppler-utils and libxml2-utils (apt-get install -y poppler-utils libxml2-utils)',
  );

(ready ? describe : describe.skip)('export of a real scan', () => {
  let stack: RectoStack;
  let id: string;
  let words: { content: string; polygon: [number, number][] }[];

  beforeAll(async () => {
    // Pinned to tesseract.js: most suites read with the native program where it is installed
    // (OCR_LOCAL_ENGINE=auto), and the wasm engine must keep being tested end to end.
    stack = await startRectoStack('export-e2e', { OCR_LOCAL_ENGINE: 'wasm' });
    const scan = testPage('synthetic_minutes');
    const res = await stack.client.uploadFile(scan.imagePath);
    id = (res.body.document as { id: string }).id;
    expect((await stack.client.waitProcessed(id)).status).toBe('Processed');
    words = (await stack.client.get<{ page: { words: typeof words } }>(`/v1/documents/${id}/pages/1`)).body.page.words;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('read the scan with the wasm engine it was told to use', () => {
    expect(stack.worker.output.join('')).toMatch(/Local OCR engine: wasm \(tesseract\.js /);
  });

  it('puts (nearly) every recognised word of the searchable PDF on its polygon, in reading order', async () => {
    const res = await fetch(`${stack.client.baseUrl}/v1/documents/${id}/export?format=pdf`);
    expect(res.status).toBe(200);
    const score = scoreTextLayer(words, pdfTextLayout(new Uint8Array(await res.arrayBuffer())), 1);
    expect(score.words).toBeGreaterThan(100);
    // A few words poppler reads differently (a line-end hyphenation joined, a turned word split) are not found.
    expect(score.found / score.words).toBeGreaterThanOrEqual(0.95);
    expect(score.iouAtLeast09 / score.found).toBeGreaterThanOrEqual(0.95);
    expect(score.orderAgreement).toBeGreaterThanOrEqual(0.9);
  });

  it('exports ALTO and PAGE that validate against their schemas', async () => {
    const alto = await stack.client.get<string>(`/v1/documents/${id}/export?format=alto`);
    expect(xmllint(alto.body, ALTO_4_XSD)).toEqual({ ok: true, errors: '' });
    const page = await stack.client.get<string>(`/v1/documents/${id}/export?format=page`);
    expect(xmllint(page.body, PAGE_2019_XSD)).toEqual({ ok: true, errors: '' });
  });
});
