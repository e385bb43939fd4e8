/**
 * Webhook endpoints and the event stream over HTTP, on real Postgres and Redis (no worker: the
 * state changes are made through the repository, as the worker would).
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, validateConfig } from '@recto/config';
import { DocumentRepository } from '@recto/database';
import { openEventStream, processingDocument, startTestServices, TestServices } from '@recto/testing';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

const KEY_A = 'hooks-a-0123456789';
const KEY_B = 'hooks-b-0123456789';

let services: TestServices;
const apps: INestApplication[] = [];
let http: ReturnType<typeof request>;
const urls: string[] = [];

beforeAll(async () => {
  services = await startTestServices('webhooks_api');
  const config = validateConfig(ApiConfig, {
    ...services.env,
    API_KEYS: `${KEY_A}:acme,${KEY_B}:globex`,
    API_KEY_CACHE_SECONDS: '0',
    EVENTS_HEARTBEAT_MS: '300',
    LOG_LEVEL: 'warn',
  });
  // Two api processes' worth: an event committed anywhere reaches streams on both.
  for (let i = 0; i < 2; i++) {
    const app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    urls.push(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`);
  }
  http = request(apps[0].getHttpServer());
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await services?.stop();
});

const asA = (r: request.Test) => r.set('Authorization', KEY_A);
const asB = (r: request.Test) => r.set('Authorization', KEY_B);
const documents = () => apps[0].get(DocumentRepository);

async function newDocument(tenantId: string): Promise<string> {
  const { document } = await documents().insertOrGetDuplicate(processingDocument(tenantId));
  return document.id;
}

describe('/v1/webhooks', () => {
  it('creates an endpoint with a secret shown once, lists, updates, rotates and deletes it', async () => {
    const created = await asA(http.post('/v1/webhooks')).send({
      url: 'https://93.184.215.14/hooks/recto',
      events: ['document.processed', 'document.failed', 'document.processed'],
      description: 'billing',
    });
    expect(created.status).toBe(201);
    const hook = created.body.webhook as Record<string, unknown>;
    expect(hook).toMatchObject({
      id: expect.any(String),
      url: 'https://93.184.215.14/hooks/recto',
      events: ['document.processed', 'document.failed'],
      description: 'billing',
      enabled: true,
      disabled_reason: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });

    const listed = await asA(http.get('/v1/webhooks'));
    expect(listed.status).toBe(200);
    expect(listed.body.webhooks).toHaveLength(1);
    expect(listed.body.webhooks[0]).not.toHaveProperty('secret');
    expect((await asA(http.get(`/v1/webhooks/${String(hook.id)}`))).body.webhook).not.toHaveProperty('secret');

    const patched = await asA(http.patch(`/v1/webhooks/${String(hook.id)}`)).send({
      enabled: false,
      events: ['document.deleted'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.webhook).toMatchObject({
      enabled: false,
      events: ['document.deleted'],
      description: 'billing',
    });

    const rotated = await asA(http.post(`/v1/webhooks/${String(hook.id)}/rotate-secret`));
    expect(rotated.status).toBe(200);
    expect(rotated.body.webhook.secret).toMatch(/^whsec_/);
    expect(rotated.body.webhook.secret).not.toBe(hook.secret);

    // Another tenant sees nothing of it.
    expect((await asB(http.get(`/v1/webhooks/${String(hook.id)}`))).status).toBe(404);
    expect((await asB(http.delete(`/v1/webhooks/${String(hook.id)}`))).status).toBe(404);
    expect((await asB(http.get('/v1/webhooks'))).body.webhooks).toEqual([]);

    expect((await asA(http.get(`/v1/webhooks/${String(hook.id)}/deliveries`))).body).toEqual({ deliveries: [] });
    expect((await asA(http.delete(`/v1/webhooks/${String(hook.id)}`))).status).toBe(204);
    const gone = await asA(http.get(`/v1/webhooks/${String(hook.id)}`));
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ code: 'webhook_not_found' });
    expect((await asA(http.get('/v1/webhooks/not-a-uuid'))).body).toMatchObject({
      status: 404,
      code: 'webhook_not_found',
    });
  });

  it('refuses bad bodies and URLs that are not public (SSRF) with 422 problem details', async () => {
    const post = (body: unknown) => asA(http.post('/v1/webhooks')).send(body as object);
    const invalid = await post({ url: 'https://93.184.215.14/', events: ['document.eaten'] });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ pointer: '/events' })],
    });
    expect((await post({ url: 'https://93.184.215.14/', events: [] })).status).toBe(422);
    expect((await post({ events: ['document.processed'] })).status).toBe(422);

    for (const [url, reason] of [
      ['http://127.0.0.1:8080/hook', 'loopback'],
      ['http://localhost:8080/hook', 'loopback'],
      ['https://10.0.0.8/hook', 'private'],
      ['http://169.254.169.254/latest/meta-data', 'cloud metadata'],
      ['http://[::ffff:192.168.1.1]/hook', 'private'],
      ['ftp://93.184.215.14/hook', 'http:// or https://'],
      ['https://user:pw@93.184.215.14/hook', 'credentials'],
      ['https://does-not-exist.invalid/hook', 'does not resolve'],
    ]) {
      const res = await post({ url, events: ['document.processed'] });
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 422, code: 'url_not_allowed' });
      expect(res.body.detail).toContain(reason);
    }
    const hook = (await post({ url: 'https://93.184.215.14/', events: ['document.processed'] })).body.webhook;
    const patched = await asA(http.patch(`/v1/webhooks/${String(hook.id)}`)).send({ url: 'http://127.0.0.1/x' });
    expect(patched.status).toBe(422);
    expect(patched.body.code).toBe('url_not_allowed');
    expect((await asA(http.get('/v1/webhooks'))).body.webhooks.map((w: { url: string }) => w.url)).not.toContain(
      'http://127.0.0.1/x',
    );
  });

  it("keeps Mindee's incoming webhook route: public, signature-checked (off here: 404, not 401)", async () => {
    const res = await http.post('/v1/webhooks/mindee').set('content-type', 'application/json').send('{"inference":{}}');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404 });
  });

  it('lists a delivery with its attempts and resends it', async () => {
    const hook = (
      await asA(http.post('/v1/webhooks')).send({ url: 'https://93.184.215.14/', events: ['document.processed'] })
    ).body.webhook;
    const id = await newDocument('acme');
    await documents().markProcessed(id);
    const listed = await asA(http.get(`/v1/webhooks/${String(hook.id)}/deliveries?status=pending`));
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries).toEqual([
      expect.objectContaining({
        event_type: 'document.processed',
        document_id: id,
        status: 'pending',
        attempts: 0,
        attempt_log: [],
        next_attempt_at: expect.any(String),
      }),
    ]);
    const deliveryId = String(listed.body.deliveries[0].id);
    const resent = await asA(http.post(`/v1/webhooks/${String(hook.id)}/deliveries/${deliveryId}/resend`));
    expect(resent.status).toBe(202);
    expect(resent.body.delivery).toMatchObject({ id: deliveryId, status: 'pending' });
    expect((await asB(http.post(`/v1/webhooks/${String(hook.id)}/deliveries/${deliveryId}/resend`))).status).toBe(404);
    expect((await asA(http.post(`/v1/webhooks/${String(hook.id)}/deliveries/${randomUUID()}/resend`))).body.code).toBe(
      'webhook_delivery_not_found',
    );
    expect((await asA(http.get(`/v1/webhooks/${String(hook.id)}/deliveries?status=lost`))).status).toBe(422);
  });
});

describe('GET /v1/events', () => {
  it("streams the tenant's events live on every api process, and resumes after Last-Event-ID", async () => {
    const one = await openEventStream(`${urls[0]}/v1/events`, { authorization: KEY_A });
    const two = await openEventStream(`${urls[1]}/v1/events`, { authorization: KEY_A });
    const other = await openEventStream(`${urls[1]}/v1/events`, { authorization: KEY_B });
    try {
      const a = await newDocument('acme');
      const b = await newDocument('acme');
      await documents().markProcessed(a);
      await documents().markFailed(b, { status: 422, title: 't', detail: 'bad', code: 'unreadable_file', errors: [] });
      await documents().markProcessed(await newDocument('globex'));
      await documents().delete(a);

      const got = await one.waitFor(3);
      expect(got.map((m) => [m.event, JSON.parse(m.data).data.id])).toEqual([
        ['document.processed', a],
        ['document.failed', b],
        ['document.deleted', a],
      ]);
      const payload = JSON.parse(got[0].data);
      expect(payload).toMatchObject({
        type: 'document.processed',
        timestamp: expect.any(String),
        data: { id: a, status: 'Processed', polling_url: `${urls[0]}/v1/documents/${a}` },
      });
      const ids = got.map((m) => Number(m.id));
      expect(ids[0]).toBeLessThan(ids[1]);
      expect(ids[1]).toBeLessThan(ids[2]);
      expect((await two.waitFor(3)).map((m) => m.id)).toEqual(got.map((m) => m.id));
      const others = await other.waitFor(1);
      expect(others.map((m) => m.event)).toEqual(['document.processed']);
      // Heartbeats keep it alive.
      await new Promise((r) => setTimeout(r, 700));
      expect(one.comments).toContain('heartbeat');
      expect(one.messages).toHaveLength(3);
      expect(other.messages).toHaveLength(1);

      // Resuming after the first: the two after it, replayed from the table, then live ones.
      const resumed = await openEventStream(`${urls[1]}/v1/events`, {
        authorization: KEY_A,
        'last-event-id': got[0].id!,
      });
      try {
        expect((await resumed.waitFor(2)).map((m) => m.id)).toEqual([got[1].id, got[2].id]);
        await documents().markProcessed(await newDocument('acme'));
        const [, , live] = await resumed.waitFor(3);
        expect(live.event).toBe('document.processed');
        expect(Number(live.id)).toBeGreaterThan(ids[2]);
      } finally {
        resumed.close();
      }
      const fromQuery = await openEventStream(`${urls[0]}/v1/events?last_event_id=${got[1].id!}`, {
        authorization: KEY_A,
      });
      try {
        expect((await fromQuery.waitFor(2)).map((m) => m.event)).toEqual(['document.deleted', 'document.processed']);
      } finally {
        fromQuery.close();
      }
    } finally {
      one.close();
      two.close();
      other.close();
    }
  });

  it('streams only the event types asked for, and refuses unknown ones', async () => {
    const finished = await openEventStream(`${urls[0]}/v1/events?types=document.processed,document.deleted`, {
      authorization: KEY_A,
    });
    try {
      const a = await newDocument('acme');
      await documents().recordProgress(a, 2, 1);
      await documents().markFailed(await newDocument('acme'), {
        status: 422,
        title: 't',
        detail: 'bad',
        code: 'unreadable_file',
        errors: [],
      });
      await documents().markProcessed(a);
      await documents().delete(a);
      expect((await finished.waitFor(2)).map((m) => m.event)).toEqual(['document.processed', 'document.deleted']);
      await new Promise((r) => setTimeout(r, 300));
      expect(finished.messages).toHaveLength(2);
    } finally {
      finished.close();
    }
    const bad = await asA(http.get('/v1/events?types=document.processed,document.exploded'));
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toContain('types must be a comma-separated list of');
  });

  it('needs a key and a numeric Last-Event-ID', async () => {
    expect((await http.get('/v1/events')).status).toBe(401);
    const bad = await asA(http.get('/v1/events')).set('Last-Event-ID', 'yesterday');
    expect(bad.status).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});
