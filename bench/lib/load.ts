import { Agent, request } from 'node:http';
import { percentile } from './stats';

export interface LoadRound {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Every latency in ms, in completion order; kept for per-query breakdowns, not written out. */
  latencies: number[];
  /** Latencies by the tag of the task that produced them. */
  byTag: Map<string, number[]>;
}

export interface LoadTask {
  tag: string;
  run: () => Promise<void>;
}

/**
 * Runs `tasks` in order on `concurrency` closed-loop clients (each sends its next request when
 * the previous one is answered), timing each one.
 */
export async function runClosedLoop(tasks: LoadTask[], concurrency: number): Promise<LoadRound> {
  const latencies: number[] = [];
  const byTag = new Map<string, number[]>();
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const client = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      const t0 = performance.now();
      try {
        await task.run();
      } catch {
        errors++;
        continue;
      }
      const ms = performance.now() - t0;
      latencies.push(ms);
      const list = byTag.get(task.tag) ?? [];
      list.push(ms);
      byTag.set(task.tag, list);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    latencies,
    byTag,
  };
}

/** A keep-alive HTTP/1.1 client that reads the whole body and fails on a non-2xx status. */
export class KeepAliveClient {
  private readonly agent: Agent;

  constructor(maxSockets = 64) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(
    url: string,
    options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
  ): Promise<{ status: number; contentType: string | undefined; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...options.headers };
      if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
      const req = request(url, { method: options.method ?? 'GET', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            reject(new Error(`${options.method ?? 'GET'} ${url} → ${status}: ${body.toString().slice(0, 300)}`));
          } else resolve({ status, contentType: res.headers['content-type'], body });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
