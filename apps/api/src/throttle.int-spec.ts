/**
 * Throttling shared through Redis: two api instances (as two processes would) draw on one
 * budget per key; the over-budget answer is a 429 problem with Retry-After.
 */
import { INestApplication } from '@nestjs/common';
import { ApiConfig, validateConfig } from '@recto/config';
import { startTestServices, TestServices } from '@recto/testing';

import request from 'supertest';
import { createApiApp } from './bootstrap-api';

const KEY_A = 'throttle-a-0123456789';
const KEY_B = 'throttle-b-0123456789';
const LIMIT = 5;

let services: TestServices;
const apps: INestApplication[] = [];

beforeAll(async () => {
  services = await startTestServices('throttle');
  const config = validateConfig(ApiConfig, {
    ...services.env,
    API_KEYS: `${KEY_A}:acme,${KEY_B}:acme`,
    THROTTLE_LIMIT: String(LIMIT),
    THROTTLE_WINDOW_SECONDS: '60',
    LOG_LEVEL: 'warn',
  });
  for (let i = 0; i < 2; i++) {
    const app = await createApiApp(config);
    await app.init();
    apps.push(app);
  }
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await services?.stop();
});

it('shares one budget per key across api instances and answers 429 with Retry-After', async () => {
  const [one, two] = apps.map((a) => request(a.getHttpServer()));
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT; i++) {
    const res = await (i % 2 ? two : one).get('/v1/documents').set('Authorization', KEY_A);
    statuses.push(res.status);
    expect(res.headers['ratelimit-remaining']).toBe(String(LIMIT - i - 1));
  }
  expect(statuses).toEqual(Array(LIMIT).fill(200));

  const over = await two.get('/v1/search?q=x').set('Authorization', KEY_A);
  expect(over.status).toBe(429);
  expect(over.headers['content-type']).toContain('application/problem+json');
  expect(over.body).toMatchObject({ status: 429, code: 'too_many_requests', detail: expect.any(String) });
  const retryAfter = Number(over.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect((await one.get('/v1/documents').set('Authorization', KEY_A)).status).toBe(429);

  // Another key of the same tenant has its own budget; health is never throttled.
  expect((await one.get('/v1/documents').set('Authorization', KEY_B)).status).toBe(200);
  expect((await one.get('/health')).status).toBe(200);
  // Unauthenticated requests are refused before they count against anyone.
  expect((await one.get('/v1/documents')).status).toBe(401);
});
