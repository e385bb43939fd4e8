/**
 * The outbox on real Postgres: events written with the state change (or not at all), deliveries
 * sent to a real local receiver, retried with backoff, given up, the endpoint disabled, and
 * refused at delivery when the name now resolves to a private address.
 */
import { Test, TestingModule } from '@nestjs/testing';
import { ConfigModule, validateConfig, WorkerConfig } from '@recto/config';
import {
  DatabaseModule,
  DocumentRepository,
  DocumentStatus,
  EventOutboxRepository,
  EventType,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from '@recto/database';
import { ResolvedAddress } from '@recto/documents';
import { createTestDatabase, processingDocument, TestDatabase } from '@recto/testing';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookHttpSender } from './webhook-http.sender';
import { WEBHOOK_URL_RESOLVER, WebhookUrlGuard } from './webhook-url.guard';
import { WebhookService } from './webhook.service';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let db: TestDatabase;
let app: TestingModule;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status the receiver answers with, one per request; 200 once the list is used up. */
let answers: number[] = [];
/** What the test resolver answers for `hooks.example.test`. */
let resolved: ResolvedAddress[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.statusCode = answers.shift() ?? 200;
      res.end(res.statusCode === 200 ? 'ok' : 'receiver says no');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  db = await createTestDatabase('webhook_delivery');
  const config = validateConfig(WorkerConfig, {
    DATABASE_URL: db.url,
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_BACKOFF_BASE_MS: '10',
    WEBHOOK_BACKOFF_MAX_MS: '20',
    WEBHOOK_DISABLE_AFTER_MS: '0',
    WEBHOOK_TIMEOUT_MS: '5000',
    PUBLIC_URL: 'https://recto.example.com',
  });
  app = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(WorkerConfig, config), DatabaseModule],
    providers: [
      WebhookDispatcher,
      WebhookHttpSender,
      WebhookUrlGuard,
      WebhookService,
      { provide: WEBHOOK_URL_RESOLVER, useValue: async () => resolved },
    ],
  }).compile();
  await app.init();
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
  await new Promise((r) => receiver?.close(r));
});

beforeEach(() => {
  received.length = 0;
  answers = [];
});

const documents = () => app.get(DocumentRepository);
const deliveries = () => app.get(WebhookDeliveryRepository);
const dispatcher = () => app.get(WebhookDispatcher);
const sql = <T>(query: string, params: unknown[] = []) => app.get(DataSource).query(query, params) as Promise<T>;

async function newDocument(tenantId: string): Promise<string> {
  const { document } = await documents().insertOrGetDuplicate(processingDocument(tenantId, { metadata: { box: 7 } }));
  return document.id;
}

async function endpoint(tenantId: string, url = `${receiverUrl}/${tenantId}`, events = Object.values(EventType)) {
  return app.get(WebhookService).create(tenantId, { url, events });
}

/** Runs the sender until nothing is due any more, waiting out the (short) backoff in between. */
async function drain(endpointId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await dispatcher().runOnce();
    const [{ n }] = await sql<{ n: string }[]>(
      `SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending'`,
      [endpointId],
    );
    if (Number(n) === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('deliveries still pending');
}

const events = (tenantId: string) =>
  sql<{ type: string; document_id: string }[]>(
    'SELECT type, document_id FROM events WHERE tenant_id = $1 ORDER BY seq',
    [tenantId],
  );

describe('the outbox', () => {
  it('writes one event per state change, with a delivery per subscribed endpoint, and none for no change', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const all = await endpoint(tenant);
    const failedOnly = await endpoint(tenant, `${receiverUrl}/${tenant}`, [EventType.DocumentFailed]);
    const off = await endpoint(tenant);
    await app.get(WebhookService).update(tenant, off.id, { enabled: false });
    await endpoint('someone_else');

    const a = await newDocument(tenant);
    const b = await newDocument(tenant);
    expect(await documents().markProcessed(a)).toBe(true);
    expect(await documents().markProcessed(a)).toBe(false); // already Processed: nothing to announce
    await documents().markFailed(b, {
      status: 422,
      title: 'x',
      detail: 'bad scan',
      code: 'unreadable_file',
      errors: [],
    });
    await documents().delete(a);
    await documents().delete(a); // gone already
    await documents().markFailed(a, { status: 422, title: 'x', detail: 'late', code: 'ocr_failed', errors: [] });

    expect(await events(tenant)).toEqual([
      { type: 'document.processed', document_id: a },
      { type: 'document.failed', document_id: b },
      { type: 'document.deleted', document_id: a },
    ]);
    const perEndpoint = await sql<{ endpoint_id: string; n: string }[]>(
      `SELECT endpoint_id, count(*) AS n FROM webhook_deliveries d JOIN events e ON e.seq = d.event_seq
       WHERE e.tenant_id = $1 GROUP BY endpoint_id`,
      [tenant],
    );
    expect(Object.fromEntries(perEndpoint.map((r) => [r.endpoint_id, Number(r.n)]))).toEqual({
      [all.id]: 3,
      [failedOnly.id]: 1,
    });
    const [processed] = await sql<{ data: Record<string, unknown> }[]>(
      `SELECT data FROM events WHERE tenant_id = $1 AND type = 'document.processed'`,
      [tenant],
    );
    expect(processed.data).toMatchObject({
      id: a,
      status: 'Processed',
      metadata: { box: 7 },
      polling_url: `/v1/documents/${a}`,
    });
    // Not the subject here: the delivery tests start from an empty work list.
    await sql(`DELETE FROM webhook_deliveries`);
  });

  it('announces progress while Processing, only when it changed, and never after the end', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const progressOnly = await endpoint(tenant, `${receiverUrl}/${tenant}`, [EventType.DocumentProgress]);
    const id = await newDocument(tenant);
    await documents().recordProgress(id, 3, 0);
    await documents().recordProgress(id, 3, 0); // the same again: nothing new to say
    await documents().recordProgress(id, 3, 2);
    await documents().markProcessed(id);
    await documents().recordProgress(id, 3, 3); // late: the document is finished

    expect((await events(tenant)).map((e) => e.type)).toEqual([
      'document.progress',
      'document.progress',
      'document.processed',
    ]);
    const progress = await sql<{ data: { page_count: number; pages_done: number; status: string } }[]>(
      `SELECT data FROM events WHERE tenant_id = $1 AND type = 'document.progress' ORDER BY seq`,
      [tenant],
    );
    expect(progress.map((p) => [p.data.status, p.data.page_count, p.data.pages_done])).toEqual([
      ['Processing', 3, 0],
      ['Processing', 3, 2],
    ]);
    const [{ n }] = await sql<{ n: string }[]>(`SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [
      progressOnly.id,
    ]);
    expect(Number(n)).toBe(2);
    await sql(`DELETE FROM webhook_deliveries`);
  });

  it('forgets old events whose deliveries are all finished, and keeps the rest', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const hook = await endpoint(tenant);
    const [oldDone, oldPending, recent] = [
      await newDocument(tenant),
      await newDocument(tenant),
      await newDocument(tenant),
    ];
    for (const id of [oldDone, oldPending, recent]) await documents().markProcessed(id);
    await sql(
      `UPDATE events SET created_at = now() - interval '40 days' WHERE tenant_id = $1 AND document_id = ANY ($2)`,
      [tenant, [oldDone, oldPending]],
    );
    await sql(
      `UPDATE webhook_deliveries d SET status = 'succeeded' FROM events e
       WHERE e.seq = d.event_seq AND e.document_id = ANY ($1)`,
      [[oldDone, recent]],
    );
    const outbox = app.get(EventOutboxRepository);
    const cutoff = new Date(Date.now() - 30 * 24 * 3600_000);
    expect(await outbox.prune(cutoff)).toBe(1);
    expect(await outbox.prune(cutoff)).toBe(0);
    expect((await events(tenant)).map((e) => e.document_id).sort()).toEqual([oldPending, recent].sort());
    const left = await sql<{ n: string }[]>(`SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [
      hook.id,
    ]);
    expect(Number(left[0].n)).toBe(2);
    await sql(`DELETE FROM webhook_deliveries`);
  });

  it('rolls the state change back when its event cannot be written, and announces nothing', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const id = await newDocument(tenant);
    await sql(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'no events today'; END $$`);
    await sql(`CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_event()`);
    try {
      await expect(documents().markProcessed(id)).rejects.toThrow(/no events today/);
      await expect(documents().delete(id)).rejects.toThrow(/no events today/);
    } finally {
      await sql('DROP TRIGGER refuse_event ON events');
      await sql('DROP FUNCTION refuse_event()');
    }
    expect((await documents().findById(id))?.status).toBe(DocumentStatus.Processing);
    expect(await events(tenant)).toEqual([]);
  });
});

describe('delivery', () => {
  it('retries a failing receiver with backoff, keeps the webhook-id, signs every attempt', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const hook = await endpoint(tenant);
    const id = await newDocument(tenant);
    answers = [500, 503];
    await documents().markProcessed(id);
    await drain(hook.id);

    expect(received.map((r) => r.headers['webhook-id'])).toEqual(Array(3).fill(received[0].headers['webhook-id']));
    expect(received.every((r) => r.path === `/hook/${tenant}`)).toBe(true);
    for (const r of received) {
      const signed = `${String(r.headers['webhook-id'])}.${String(r.headers['webhook-timestamp'])}.${r.body}`;
      const mac = createHmac('sha256', Buffer.from(hook.secret.slice('whsec_'.length), 'base64')).update(signed);
      expect(r.headers['webhook-signature']).toBe(`v1,${mac.digest('base64')}`);
      expect(r.headers['content-type']).toBe('application/json');
    }
    const body = JSON.parse(received[0].body) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(body).toMatchObject({
      type: 'document.processed',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: { id, status: 'Processed', polling_url: `https://recto.example.com/v1/documents/${id}` },
    });

    const [delivery] = await deliveries().listForEndpoint(hook.id, 10);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, nextAttemptAt: null });
    expect(delivery.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(delivery.attemptLog[0].error).toBe('Answered 500: receiver says no');
    expect(delivery.attemptLog[2].error).toBeNull();
    // Each retry waited for its backoff: attempts are strictly after one another.
    const times = delivery.attemptLog.map((a) => a.createdAt.getTime());
    expect(times[1]).toBeGreaterThan(times[0]);
    expect(times[2]).toBeGreaterThan(times[1]);
    expect((await app.get(WebhookEndpointRepository).findForTenant(tenant, hook.id))?.failingSince).toBeNull();
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS, and a resend makes exactly one more attempt', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const hook = await endpoint(tenant);
    answers = [500, 500, 500, 500, 500];
    await documents().markFailed(await newDocument(tenant), {
      status: 422,
      title: 'x',
      detail: 'bad',
      code: 'unreadable_file',
      errors: [],
    });
    await drain(hook.id);
    expect(received).toHaveLength(3);
    const [failed] = await deliveries().listForEndpoint(hook.id, 10, 'failed');
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
    expect((await app.get(WebhookEndpointRepository).findForTenant(tenant, hook.id))?.failingSince).toBeInstanceOf(
      Date,
    );

    answers = [];
    const resent = await app.get(WebhookService).resend(tenant, hook.id, failed.id);
    expect(resent.status).toBe('pending');
    await drain(hook.id);
    expect(received).toHaveLength(4);
    expect(received[3].headers['webhook-id']).toBe(received[0].headers['webhook-id']);
    const [done] = await deliveries().listForEndpoint(hook.id, 10);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 4 });
    expect(done.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
  });

  it('disables an endpoint that has failed for longer than WEBHOOK_DISABLE_AFTER_MS', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const hook = await endpoint(tenant);
    // Failing for a week already: the next failure turns it off.
    await sql(`UPDATE webhook_endpoints SET failing_since = now() - interval '7 days' WHERE id = $1`, [hook.id]);
    await documents().markProcessed(await newDocument(tenant));
    const [claimed] = await deliveries().claimDue(10, 60_000);
    expect(claimed.endpointId).toBe(hook.id);
    const disabled = await deliveries().recordAttempt(
      claimed,
      { statusCode: 500, durationMs: 3, error: 'Answered 500' },
      { kind: 'retry', delayMs: 0 },
      24 * 3600_000,
    );
    expect(disabled).toBe(true);
    const after = await app.get(WebhookEndpointRepository).findForTenant(tenant, hook.id);
    expect(after).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/^Every delivery attempt failed since/),
    });
    // Nothing is sent to a disabled endpoint; its pending delivery waits until it is turned on again.
    received.length = 0;
    await dispatcher().runOnce();
    expect(received).toHaveLength(0);
    const on = await app.get(WebhookService).update(tenant, hook.id, { enabled: true });
    expect(on).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    await drain(hook.id);
    expect(received).toHaveLength(1);
  });

  it('refuses at delivery a name that now resolves to a private address (DNS rebinding)', async () => {
    const tenant = `t_${randomBytes(4).toString('hex')}`;
    const port = (receiver.address() as AddressInfo).port;
    resolved = [{ address: '93.184.215.14', family: 4 }];
    const hook = await endpoint(tenant, `http://hooks.example.test:${port}/hook`);
    resolved = [{ address: '10.1.2.3', family: 4 }];
    await documents().markProcessed(await newDocument(tenant));
    await drain(hook.id);
    expect(received).toHaveLength(0);
    const [delivery] = await deliveries().listForEndpoint(hook.id, 10);
    expect(delivery.status).toBe('failed');
    expect(delivery.attemptLog).toHaveLength(3);
    for (const a of delivery.attemptLog) {
      expect(a.statusCode).toBeNull();
      expect(a.error).toBe('Webhooks are not sent to hooks.example.test: it resolves to 10.1.2.3, a private address.');
    }
  });
});
