import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DOCUMENTS_QUEUE } from './job-name';

/** Why a worker took a job and did not run it. */
export enum SkippedJobReason {
  /** The document's row is gone (deleted meanwhile) or never existed in this database. */
  DocumentMissing = 'document_missing',
  /** The job was queued by another deployment sharing this queue (same QUEUE_PREFIX). */
  ForeignDeployment = 'foreign_deployment',
}

/**
 * Counters the workers keep in Redis beside their queue, so that the API (the process with a
 * /metrics route) reports them for every worker of the deployment, across worker restarts.
 */
@Injectable()
export class JobStats {
  constructor(@InjectQueue(DOCUMENTS_QUEUE) private readonly queue: Queue) {}

  async countSkipped(reason: SkippedJobReason): Promise<void> {
    const client = await this.redis();
    await client.hincrby(this.key(), reason, 1);
  }

  async skipped(): Promise<Record<SkippedJobReason, number>> {
    const client = await this.redis();
    const raw = await client.hgetall(this.key());
    return Object.fromEntries(Object.values(SkippedJobReason).map((r) => [r, Number(raw[r] ?? 0)])) as Record<
      SkippedJobReason,
      number
    >;
  }

  /** BullMQ's own connection (ioredis): no extra connection per process. */
  private async redis(): Promise<Redis> {
    return (await this.queue.client) as unknown as Redis;
  }

  private key(): string {
    return `${this.queue.opts.prefix}:${DOCUMENTS_QUEUE}:skipped`;
  }
}
