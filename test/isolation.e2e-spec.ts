/**
 * Two deployments on one Redis, both with the default QUEUE_PREFIX (staging beside production):
 * each worker runs only its own deployment's jobs, every document of both ends Processed by its
 * own worker, and no worker ever takes a job for a document it does not have.
 */
import { RectoStack, startRectoStack } from '@recto/testing';
import sharp from 'sharp';

const PER_STACK = 20;
let stacks: RectoStack[] = [];

beforeAll(async () => {
  const env = {
    // Empty means unset: the default prefix, derived from each deployment's database.
    QUEUE_PREFIX: '',
    OCR_CONCURRENCY: '2',
    THROTTLE_LIMIT: '0',
    // Far beyond the test: a stolen job must not be rescued by the reconciler in the meantime.
    RECONCILE_IDLE_MS: '3600000',
  };
  stacks = [await startRectoStack('isolation_a', env), await startRectoStack('isolation_b', env)];
});

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
});

/** A tiny page of its own bytes: OCR is real but quick, and every upload is a new document. */
const tinyPage = (stack: number, i: number) =>
  sharp({ create: { width: 96, height: 64, channels: 3, background: { r: stack * 100, g: i * 10, b: 200 } } })
    .png()
    .toBuffer();

const ocrDoneIds = (output: string[]): string[] =>
  output
    .join('')
    .split('\n')
    .filter((line) => line.includes('"OCR done"'))
    .map((line) => (JSON.parse(line) as { documentId: string }).documentId);

it('keeps the jobs of two deployments with the default prefix apart', async () => {
  const ids: string[][] = [[], []];
  for (let i = 0; i < PER_STACK; i++) {
    for (const [s, stack] of stacks.entries()) {
      const res = await stack.client.upload(await tinyPage(s, i), `page-${s}-${i}.png`);
      expect(res.status).toBe(202);
      ids[s].push((res.body.document as { id: string }).id);
    }
  }

  for (const [s, stack] of stacks.entries()) {
    for (const id of ids[s]) {
      const document = await stack.client.waitProcessed(id, 240_000);
      expect(document.status).toBe('Processed');
    }
  }

  for (const [s, stack] of stacks.entries()) {
    // Each worker recognised exactly its own documents, each once.
    expect(ocrDoneIds(stack.worker.output).sort()).toEqual([...ids[s]].sort());
    expect(stack.worker.output.join('')).not.toContain('document that does not exist');
    const metrics = await stack.client.get<string>('/metrics');
    expect(metrics.body).toMatch(/recto_jobs_skipped_total\{reason="document_missing"\} 0/);
    expect(metrics.body).toMatch(/recto_jobs_skipped_total\{reason="foreign_deployment"\} 0/);
  }
});
