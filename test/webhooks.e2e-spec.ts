/**
 * Outgoing webhooks and the event stream with the built api and worker as processes and real OCR:
 * a receiver (a plain HTTP server here) gets every event exactly once, with a signature it
 * verifies by itself, across a restart of the api and of the worker (events committed while the
 * worker was down are delivered when it is back); the SSE stream dropped by the api's restart
 * resumes with Last-Event-ID, missing nothing and repeating nothing.
 */
import {
  loadTestPages,
  openEventStream,
  pngPixelBomb,
  RectoStack,
  SseMessage,
  startRectoStack,
  waitFor,
} from '@recto/testing';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

const KEY = 'webhooks-e2e-0123456789';

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

let stack: RectoStack;
let receiver: Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];
let secret: string;
let webhookId: string;

/** Checks a delivery as a receiver with only the secret would: Standard Webhooks, by hand. */
function validSignature(d: Delivery): boolean {
  const id = String(d.headers['webhook-id']);
  const timestamp = String(d.headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(
    `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${d.body}`).digest('base64')}`,
  );
  return String(d.headers['webhook-signature'])
    .split(' ')
    .some((s) => s.length === expected.length && timingSafeEqual(Buffer.from(s), expected));
}

const accepted = () => deliveries.filter((d) => d.answered === 200);
const acceptedTypes = () => accepted().map((d) => (JSON.parse(d.body) as { type: string }).type);
const documentOf = (m: SseMessage) => (JSON.parse(m.data) as { data: { id: string } }).data.id;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // The receiver fails its very first request: that delivery must be retried.
      const answered = deliveries.length === 0 ? 500 : 200;
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/recto`;
  stack = await startRectoStack('webhooks', {
    API_KEYS: `${KEY}:acme`,
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '300',
    WEBHOOK_BACKOFF_BASE_MS: '300',
    WEBHOOK_BACKOFF_MAX_MS: '1000',
    EVENTS_HEARTBEAT_MS: '1000',
    OCR_CONCURRENCY: '1',
  });
});

afterAll(async () => {
  await stack?.stop();
  await new Promise((r) => receiver?.close(r));
});

it('delivers each event exactly once, signed, across an api and a worker restart; SSE resumes with Last-Event-ID', async () => {
  const created = await stack.client.request<{ webhook: { id: string; secret: string } }>('POST', '/v1/webhooks', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      url: receiverUrl,
      events: ['document.processed', 'document.failed', 'document.deleted'],
    }),
  });
  expect(created.status).toBe(201);
  ({ secret, id: webhookId } = created.body.webhook);

  // Progress is on the stream too; this one asks for what ends a document's processing.
  const FINISHED = 'types=document.processed,document.failed,document.deleted';
  const stream = await openEventStream(`${stack.client.baseUrl}/v1/events?${FINISHED}`, { authorization: KEY });
  const everything = await openEventStream(`${stack.client.baseUrl}/v1/events`, { authorization: KEY });
  const [first, second] = loadTestPages().filter((p) => p.dataset === 'synthetic');
  const upload = async (bytes: Buffer, name: string) => {
    const res = await stack.client.upload(bytes, name);
    expect(res.status).toBe(202);
    return (res.body.document as { id: string }).id;
  };

  // Before any restart: one processed (real OCR), one failed.
  const processed = await upload(await readFile(first.imagePath), 'first.png');
  const failed = await upload(pngPixelBomb(), 'bomb.png');
  const before = await stream.waitFor(2, 300_000);
  expect(new Set(before.map((m) => `${m.event} ${documentOf(m)}`))).toEqual(
    new Set([`document.processed ${processed}`, `document.failed ${failed}`]),
  );

  // The unfiltered stream saw the OCR's progress (page count known, page done) before the end.
  await waitFor(
    'the unfiltered stream to see the end',
    async () => (everything.messages.some((m) => m.event === 'document.processed') ? true : undefined),
    30_000,
  );
  const progressed = everything.messages.filter((m) => documentOf(m) === processed).map((m) => m.event);
  expect(progressed[0]).toBe('document.progress');
  expect(progressed.at(-1)).toBe('document.processed');
  everything.close();

  // The worker goes down; events keep being committed by the api (a delete) while it is away,
  // and a new upload waits for it.
  await stack.stopWorker();
  const deleted = await stack.client.request('DELETE', `/v1/documents/${failed}`);
  expect(deleted.status).toBe(204);
  const later = await upload(await readFile(second.imagePath), 'second.png');
  const [, , deletedEvent] = await stream.waitFor(3);
  expect(deletedEvent.event).toBe('document.deleted');

  // The api restarts: the stream ends, and resumes after the last id it saw.
  await stack.restartApi();
  await waitFor('the stream to end with the api', async () => (stream.ended ? true : undefined), 30_000);
  const resumed = await openEventStream(`${stack.client.baseUrl}/v1/events?${FINISHED}`, {
    authorization: KEY,
    'last-event-id': deletedEvent.id!,
  });
  stack.startWorker();
  const [afterRestart] = await resumed.waitFor(1, 300_000);
  expect([afterRestart.event, documentOf(afterRestart)]).toEqual(['document.processed', later]);
  expect(Number(afterRestart.id)).toBeGreaterThan(Number(deletedEvent.id));

  // Every event reached the receiver once (the first after a retry of the 500), all signed.
  await waitFor('four accepted deliveries', async () => (accepted().length >= 4 ? true : undefined), 120_000);
  await new Promise((r) => setTimeout(r, 2000)); // anything duplicated would arrive by now
  const ids = accepted().map((d) => String(d.headers['webhook-id']));
  expect(new Set(ids).size).toBe(4);
  expect(ids).toHaveLength(4);
  expect(acceptedTypes().sort()).toEqual([
    'document.deleted',
    'document.failed',
    'document.processed',
    'document.processed',
  ]);
  expect(deliveries).toHaveLength(5);
  expect(deliveries[0].answered).toBe(500);
  expect(ids).toContain(String(deliveries[0].headers['webhook-id']));
  for (const d of deliveries) expect(validSignature(d)).toBe(true);
  const processedBodies = accepted()
    .map((d) => JSON.parse(d.body) as { type: string; data: { id: string; status: string; page_count: number } })
    .filter((b) => b.type === 'document.processed');
  expect(processedBodies.map((b) => b.data.id).sort()).toEqual([processed, later].sort());
  for (const b of processedBodies) expect(b.data).toMatchObject({ status: 'Processed', page_count: 1 });

  // The attempts are listed: the retried one shows the 500 then the 200.
  const listed = await stack.client.get<{ deliveries: { status: string; attempt_log: { status_code: number }[] }[] }>(
    `/v1/webhooks/${webhookId}/deliveries`,
  );
  expect(listed.body.deliveries).toHaveLength(4);
  expect(listed.body.deliveries.every((d) => d.status === 'succeeded')).toBe(true);
  expect(listed.body.deliveries.map((d) => d.attempt_log.map((a) => a.status_code)).sort()).toEqual([
    [200],
    [200],
    [200],
    [500, 200],
  ]);

  // The stream before the restart plus the resumed one: every event once, in order.
  const all = [...stream.messages, ...resumed.messages];
  expect(all.map((m) => m.event)).toEqual([...before.map((m) => m.event), 'document.deleted', 'document.processed']);
  expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
  resumed.close();
}, 900_000);
