import { createRectoClient, RectoClient, unwrap } from '@recto/api-client';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The REST API as tests drive it: `api` is the generated typed client (as the CLI and the viewer
 * use it); `request` sends anything at all, status and body as they came, for the contract's
 * corners and hostile input that no typed client would send.
 */
export class RectoHttpClient {
  readonly api: RectoClient;

  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {
    this.api = createRectoClient({ baseUrl, apiKey });
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.apiKey ? { Authorization: this.apiKey } : {}), ...extra };
  }

  /** Honours 429 + Retry-After (a few times) as a well-behaved client of a throttled API should. */
  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    init: { body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer<T>> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.requestOnce<T>(method, path, init);
      if (answer.status !== 429 || attempt >= 5) return answer;
      const wait = Number(answer.headers.get('retry-after') ?? '1');
      await new Promise((r) => setTimeout(r, Math.min(60, Number.isFinite(wait) ? wait : 1) * 1000));
    }
  }

  private async requestOnce<T = Record<string, unknown>>(
    method: string,
    path: string,
    init: { body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer<T>> {
    const res = await fetch(this.baseUrl + path, { method, body: init.body, headers: this.headers(init.headers) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: body as T };
  }

  async upload(
    bytes: Buffer,
    filename: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)]), filename);
    return this.request('POST', '/v1/documents', { body: form, headers });
  }

  async uploadFile(path: string, fields: Record<string, string> = {}): Promise<HttpAnswer> {
    return this.upload(await readFile(path), basename(path), fields);
  }

  get<T = Record<string, unknown>>(path: string): Promise<HttpAnswer<T>> {
    return this.request<T>('GET', path);
  }

  /** Polls a document until it leaves Processing. */
  async waitProcessed(id: string, timeoutMs = 600_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { document } = await unwrap(this.api.GET('/v1/documents/{id}', { params: { path: { id } } }));
      if (document.status !== 'Processing') return document as Record<string, unknown>;
      if (Date.now() > deadline) throw new Error(`Document ${id} still Processing after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
