/**
 * A fake of Mindee API v2's OCR utility for tests: enqueue, job status (200/302) and results,
 * plus webhook delivery. Every request it receives and every response it sends is validated
 * against Mindee's published OpenAPI documents (vendored in libs/ocr); what does not conform is kept
 * in `violations` (tests assert it stays empty). Answers come from the test pages' (and dev scans') ground truth.
 */
import { MINDEE_OPENAPI_DIR, MINDEE_OPENAPI_FILES } from '@recto/ocr';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { devScanPagesBySha, FakePage } from './ground-truth-pages';

type Json = Record<string, unknown>;

export interface ErrorBody {
  status: number;
  detail: string;
  title: string;
  code: string;
  errors?: { pointer: string | null; detail: string }[];
}

export type WebhookTiming = 'before-polling' | 'during-polling' | 'after-result';

/** How one job behaves, chosen at enqueue from its alias (our document id) and filename. */
export interface JobPlan {
  /** Polls answered `Processing` before the job is `Processed`. */
  processingPolls?: number;
  /** Stay `Processing` until `release(jobId)`. */
  hold?: boolean;
  /** End `Failed` with this error instead. */
  fail?: ErrorBody;
  /** Refuse the enqueue with 422. */
  reject?: ErrorBody;
  webhook?: { timing: WebhookTiming; forged?: boolean };
}

export interface FakeMindeeOptions {
  apiKey: string;
  modelId: string;
  /** "Delete extracted data when fetched": a second result GET is a 404. */
  deleteOnFetch?: boolean;
  /** Answer 302 to Processed jobs even when asked `redirect=false`. */
  ignoreRedirectParam?: boolean;
  webhook?: { url: string; secret: string };
  plan?: (alias: string | null, filename: string | null) => JobPlan;
}

interface FakeJob {
  id: string;
  inferenceId: string;
  modelId: string;
  filename: string;
  alias: string | null;
  createdAt: string;
  completedAt: string | null;
  status: 'Processing' | 'Failed' | 'Processed';
  plan: JobPlan;
  page: FakePage[];
  polls: number;
  resultFetches: number;
  deleted: boolean;
  released: boolean;
}

export interface WebhookDelivery {
  jobId: string;
  forged: boolean;
  status: number;
  body: unknown;
}

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export class FakeMindeeServer {
  readonly violations: string[] = [];
  readonly counts = { requests: 0, enqueues: 0, polls: 0, resultFetches: 0, throttled: 0, unauthorized: 0 };
  readonly enqueuesByAlias = new Map<string, number>();
  readonly jobs = new Map<string, FakeJob>();
  readonly webhooks: WebhookDelivery[] = [];
  /** 429 knobs: the next N requests, and/or every other request. */
  throttle = { next: 0, everyOther: false, retryAfterSeconds: 1 as number | null };
  private server: Server | null = null;
  private readonly ajv: Ajv2020;
  private readonly bySha = devScanPagesBySha();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly extraPages = new Map<string, FakePage>();
  baseUrl = '';

  constructor(readonly options: FakeMindeeOptions) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    this.ajv.addFormat('uuid4', UUID4);
    this.ajv.addFormat('date-time', (v: string) => !Number.isNaN(Date.parse(v)));
    this.ajv.addFormat('uri', (v: string) => URL.canParse(v));
    for (const file of MINDEE_OPENAPI_FILES) {
      this.ajv.addSchema(JSON.parse(readFileSync(join(MINDEE_OPENAPI_DIR, file), 'utf8')), file);
    }
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const work = this.handle(req, res).catch((err: unknown) => {
        this.violations.push(`fake crashed: ${String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
      this.track(work);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Lets a held job finish (it is Processed at its next poll). */
  release(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job) job.released = true;
  }

  jobOf(alias: string): FakeJob | undefined {
    return [...this.jobs.values()].find((j) => j.alias === alias);
  }

  /** Waits for webhook deliveries in flight. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** Answers for files that are not dev scans byte for byte (e.g. re-encoded copies). */
  register(bytes: Buffer, page: FakePage): void {
    this.extraPages.set(createHash('sha256').update(bytes).digest('hex'), page);
  }

  resetCounts(): void {
    for (const key of Object.keys(this.counts) as (keyof typeof this.counts)[]) this.counts[key] = 0;
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private schema(ref: string): ValidateFunction {
    const fn = this.ajv.getSchema(ref);
    if (!fn) throw new Error(`no schema ${ref}`);
    return fn;
  }

  private check(what: string, ref: string, value: unknown): boolean {
    const validate = this.schema(ref);
    if (validate(value)) return true;
    this.violations.push(`${what}: ${this.ajv.errorsText(validate.errors)}`);
    return false;
  }

  /** Sends a JSON response after validating it against the seed's schema for that route and status. */
  private send(res: ServerResponse, file: string, pointer: string, status: number, body: Json, headers: Json = {}) {
    const declared = `${file}#${pointer}/responses/${status}/content/application~1json/schema`;
    const ref = this.ajv.getSchema(declared) ? declared : `${file}#/components/schemas/ErrorResponse`;
    this.check(`response ${status} of ${pointer}`, ref, body);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }

  private error(status: number, title: string, detail: string, code: string): ErrorBody {
    return { status, title, detail, code, errors: [] };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.baseUrl);
    this.counts.requests++;
    const enqueuePtr = '/paths/~1v2~1products~1ocr~1enqueue/post';
    const jobPtr = '/paths/~1v2~1jobs~1{job_id}/get';
    const resultPtr = '/paths/~1v2~1products~1ocr~1results~1{inference_id}/get';
    const route =
      req.method === 'POST' && url.pathname === '/v2/products/ocr/enqueue'
        ? { file: 'enqueue.openapi.json', ptr: enqueuePtr }
        : req.method === 'GET' && /^\/v2\/jobs\/[^/]+$/.test(url.pathname)
          ? { file: 'job-status.openapi.json', ptr: jobPtr }
          : req.method === 'GET' && /^\/v2\/products\/ocr\/results\/[^/]+$/.test(url.pathname)
            ? { file: 'ocr-result.openapi.json', ptr: resultPtr }
            : null;
    if (!route) {
      this.violations.push(`request to an endpoint the seed does not define: ${req.method} ${url.pathname}`);
      res.writeHead(404).end();
      return;
    }
    if (req.headers.authorization !== this.options.apiKey) {
      this.counts.unauthorized++;
      this.violations.push(`request without the API key in Authorization: ${req.method} ${url.pathname}`);
      return this.send(res, route.file, route.ptr, 401, {
        ...this.error(401, 'Unauthorized', 'Invalid API key.', '401-001'),
      });
    }
    const index = this.counts.requests;
    if (this.throttle.next > 0 || (this.throttle.everyOther && index % 2 === 0)) {
      if (this.throttle.next > 0) this.throttle.next--;
      this.counts.throttled++;
      const headers =
        this.throttle.retryAfterSeconds === null ? {} : { 'retry-after': String(this.throttle.retryAfterSeconds) };
      return this.send(
        res,
        route.file,
        route.ptr,
        429,
        { ...this.error(429, 'Too Many Requests', 'Rate limit reached.', '429-001') },
        headers,
      );
    }
    if (route.ptr === enqueuePtr) return this.enqueue(req, res, body, route.file, route.ptr);
    if (route.ptr === jobPtr) return this.status(res, url, route.file, route.ptr);
    return this.result(res, url, route.file, route.ptr);
  }

  private async enqueue(req: IncomingMessage, res: ServerResponse, body: Buffer, file: string, ptr: string) {
    this.counts.enqueues++;
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) this.violations.push(`enqueue sent as ${type}, not multipart`);
    const form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    const upload = form.get('file');
    const fields: Json = {};
    for (const key of new Set((form as unknown as { keys(): IterableIterator<string> }).keys())) {
      const values = form.getAll(key);
      if (key === 'webhook_ids') fields[key] = values.flatMap((v) => String(v).split(',')).filter(Boolean);
      else if (key === 'file') fields[key] = typeof upload === 'string' ? upload : `<${(upload as File).size} bytes>`;
      else fields[key] = String(values[0]);
    }
    // The seed attaches the enqueue form to the results path (see seed/README.md).
    const formRef = `ocr-result.openapi.json#/paths/~1v2~1products~1ocr~1results~1{inference_id}/get/requestBody/content/multipart~1form-data/schema`;
    const valid = this.check('enqueue form', formRef, fields);
    if (fields.model_id !== this.options.modelId || !(upload instanceof Blob)) {
      this.violations.push(`enqueue without our model_id or without a file`);
    }
    if (!valid || !(upload instanceof Blob)) {
      return this.send(res, file, ptr, 422, {
        ...this.error(422, 'Unprocessable Content', 'Invalid form.', '422-001'),
      });
    }
    const alias = typeof fields.alias === 'string' ? fields.alias : null;
    if (alias) this.enqueuesByAlias.set(alias, (this.enqueuesByAlias.get(alias) ?? 0) + 1);
    const filename = typeof fields.filename === 'string' ? fields.filename : (upload as File).name;
    const plan = this.options.plan?.(alias, filename) ?? {};
    if (plan.reject) return this.send(res, file, ptr, 422, { ...plan.reject });
    const bytes = Buffer.from(await upload.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    const known = this.bySha.get(sha) ?? (this.extraPages.has(sha) ? { page: this.extraPages.get(sha)! } : undefined);
    const job: FakeJob = {
      id: randomUUID(),
      inferenceId: randomUUID(),
      modelId: String(fields.model_id),
      filename,
      alias,
      createdAt: new Date().toISOString(),
      completedAt: null,
      status: 'Processing',
      plan,
      page: [
        known?.page ?? {
          words: [
            {
              content: 'unknown',
              polygon: [
                [0.1, 0.1],
                [0.2, 0.1],
                [0.2, 0.12],
                [0.1, 0.12],
              ],
            },
          ],
          content: 'unknown',
        },
      ],
      polls: 0,
      resultFetches: 0,
      deleted: false,
      released: false,
    };
    this.jobs.set(job.id, job);
    this.send(res, file, ptr, 202, { job: this.jobBody(job) });
    if (plan.webhook?.timing === 'before-polling') {
      this.finish(job);
      this.track(new Promise((r) => setTimeout(r, 20)).then(() => this.deliver(job)));
    }
  }

  private async status(res: ServerResponse, url: URL, file: string, ptr: string) {
    this.counts.polls++;
    const id = url.pathname.split('/').pop() as string;
    const redirect = url.searchParams.get('redirect');
    if (!UUID4.test(id) || (redirect !== null && !['true', 'false'].includes(redirect))) {
      this.violations.push(`job status request with a bad job id or redirect: ${url.pathname}${url.search}`);
      return this.send(res, file, ptr, 422, {
        ...this.error(422, 'Unprocessable Content', 'Invalid request.', '422-002'),
      });
    }
    const job = this.jobs.get(id);
    if (!job) return this.send(res, file, ptr, 404, { ...this.error(404, 'Not Found', 'No such job.', '404-001') });
    job.polls++;
    if (job.status === 'Processing') {
      const due = job.plan.hold ? job.released : job.polls > (job.plan.processingPolls ?? 2);
      if (job.plan.webhook?.timing === 'during-polling' && job.polls === (job.plan.processingPolls ?? 2)) {
        // The webhook lands while the worker still believes the job is running.
        this.finish(job);
        await this.deliver(job);
        return this.send(res, file, ptr, 200, {
          job: { ...this.jobBody(job), status: 'Processing', result_url: null, completed_at: null },
        });
      }
      if (due) this.finish(job);
    }
    if (job.status === 'Processed' && (redirect !== 'false' || this.options.ignoreRedirectParam)) {
      return this.send(res, file, ptr, 302, { job: this.jobBody(job) }, { location: this.resultUrl(job) });
    }
    return this.send(res, file, ptr, 200, { job: this.jobBody(job) });
  }

  private async result(res: ServerResponse, url: URL, file: string, ptr: string) {
    this.counts.resultFetches++;
    const id = url.pathname.split('/').pop() as string;
    if (!UUID4.test(id)) this.violations.push(`result request with a bad inference id: ${id}`);
    const job = [...this.jobs.values()].find((j) => j.inferenceId === id);
    if (!job || job.deleted || job.status !== 'Processed') {
      return this.send(res, file, ptr, 404, { ...this.error(404, 'Not Found', 'No such inference.', '404-002') });
    }
    job.resultFetches++;
    if (this.options.deleteOnFetch ?? true) job.deleted = true;
    this.send(res, file, ptr, 200, this.ocrResponse(job));
    if (job.plan.webhook?.timing === 'after-result') {
      this.track(new Promise((r) => setTimeout(r, 300)).then(() => this.deliver(job)));
    }
  }

  private finish(job: FakeJob) {
    if (job.status !== 'Processing') return;
    job.completedAt = new Date().toISOString();
    job.status = job.plan.fail ? 'Failed' : 'Processed';
  }

  private resultUrl(job: FakeJob): string {
    return `${this.baseUrl}/v2/products/ocr/results/${job.inferenceId}`;
  }

  private jobBody(job: FakeJob): Json {
    return {
      id: job.id,
      model_id: job.modelId,
      filename: job.filename,
      alias: job.alias,
      created_at: job.createdAt,
      completed_at: job.completedAt,
      status: job.status,
      polling_url: `${this.baseUrl}/v2/jobs/${job.id}`,
      result_url: job.status === 'Processed' ? this.resultUrl(job) : null,
      webhooks: [],
      error: job.status === 'Failed' ? job.plan.fail : null,
    };
  }

  /** The OCRResponse of a job: what a result GET returns and what webhooks carry. */
  ocrResponse(job: FakeJob, pages = job.page): Json {
    return {
      inference: {
        id: job.inferenceId,
        job: { id: job.id },
        model: { id: job.modelId },
        file: { name: job.filename, alias: job.alias, page_count: pages.length, mime_type: 'image/png' },
        result: { pages },
      },
    };
  }

  /** Posts the `ocr-utility-processed` webhook; a forged one carries other words and a wrong signature. */
  async deliver(job: FakeJob, forged = job.plan.webhook?.forged ?? false): Promise<WebhookDelivery | null> {
    const target = this.options.webhook;
    if (!target) return null;
    const pages = forged
      ? [
          {
            words: [
              {
                content: 'FORGED',
                polygon: [
                  [0, 0],
                  [0.5, 0],
                  [0.5, 0.5],
                  [0, 0.5],
                ],
              },
            ],
            content: 'FORGED',
          },
        ]
      : job.page;
    const payload = this.ocrResponse(job, pages as FakePage[]);
    this.check('webhook payload', 'ocr-result.openapi.json#/components/schemas/OCRResponse', payload);
    const raw = Buffer.from(JSON.stringify(payload));
    const signature = createHmac('sha256', forged ? 'not-the-secret' : target.secret)
      .update(raw)
      .digest('hex');
    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mindee-hmac-signature': signature },
      body: raw,
    });
    const text = await res.text();
    const delivery = { jobId: job.id, forged, status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
    this.webhooks.push(delivery);
    return delivery;
  }
}
