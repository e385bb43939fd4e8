/**
 * The API in-process on real Postgres, Redis and Meilisearch, as the HTTP contract specs drive it
 * (no worker: OCR is not their subject). Two tenants, `acme` (KEY_A) and `globex` (KEY_B); uploads
 * capped at 200 kB; keys in the database are looked up on every request (no cache).
 */
import type { INestApplication } from '@nestjs/common';
import { ApiTestApp, startApiTestApp, storeWords, TestServices, uniquePng } from '@recto/testing';
import request from 'supertest';
import { createApiApp } from './bootstrap-api';

export const KEY_A = 'key-a-0123456789';
export const KEY_B = 'key-b-0123456789';

export interface ContractApi {
  readonly app: INestApplication;
  readonly services: TestServices;
  readonly http: ReturnType<typeof request>;
  asA(r: request.Test): request.Test;
  asB(r: request.Test): request.Test;
  /** Stands in for the worker: stores words for a new document (pages of lines of words) and indexes its pages. */
  processedWithWords(lines: string[][], more?: { pages?: string[][][]; metadata?: object }): Promise<string>;
}

/** Starts the API before the file's tests and stops it after them; read its fields inside tests. */
export function useContractApi(label: string): ContractApi {
  let started: ApiTestApp | undefined;
  let http: ReturnType<typeof request> | undefined;
  beforeAll(async () => {
    started = await startApiTestApp(
      label,
      { MAX_UPLOAD_BYTES: '200000', API_KEYS: `${KEY_A}:acme,${KEY_B}:globex`, API_KEY_CACHE_SECONDS: '0' },
      createApiApp,
    );
    http = request(started.app.getHttpServer());
  });
  afterAll(async () => {
    await started?.stop();
  });
  const api: ContractApi = {
    get app() {
      return started!.app;
    },
    get services() {
      return started!.services;
    },
    get http() {
      return http!;
    },
    asA: (r) => r.set('Authorization', KEY_A),
    asB: (r) => r.set('Authorization', KEY_B),
    async processedWithWords(lines, more = {}) {
      const upload = api.asA(api.http.post('/v1/documents'));
      if (more.metadata) upload.field('metadata', JSON.stringify(more.metadata));
      const id = (await upload.attach('file', uniquePng(), 'iiif.png')).body.document.id as string;
      await storeWords(api.app, id, more.pages ?? [lines]);
      return id;
    },
  };
  return api;
}
