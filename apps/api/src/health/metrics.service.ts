import { Injectable } from '@nestjs/common';
import { JobQueue, JobStats } from '@recto/queue';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics: process defaults, HTTP latency and queue depth. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'recto_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly queueJobs = new Gauge({
    name: 'recto_queue_jobs',
    help: 'Jobs in the documents queue by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  /** Kept in Redis by the workers (JobStats); read back on every scrape. */
  private readonly skippedJobs = new Counter({
    name: 'recto_jobs_skipped_total',
    help: 'Jobs a worker took and did not run: document_missing (no such document), foreign_deployment (queued by another deployment sharing QUEUE_PREFIX)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly queue: JobQueue,
    private readonly stats: JobStats,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'recto_' });
  }

  async render(): Promise<string> {
    const counts = await this.queue.counts().catch(() => ({}) as Record<string, number>);
    for (const [state, n] of Object.entries(counts)) this.queueJobs.set({ state }, n);
    const skipped = await this.stats.skipped().catch(() => null);
    if (skipped) {
      this.skippedJobs.reset();
      for (const [reason, n] of Object.entries(skipped)) this.skippedJobs.inc({ reason }, n);
    }
    return this.registry.metrics();
  }
}
