import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { RequestContext } from '@recto/common';
import { DeploymentIdentity } from '@recto/database';
import { JobsOptions, Queue } from 'bullmq';
import { DOCUMENTS_QUEUE, jobIdOf, JobName, JobPayloads } from './job-name';

const DEFAULT_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** The only producer of jobs. */
@Injectable()
export class JobQueue {
  constructor(
    @InjectQueue(DOCUMENTS_QUEUE) private readonly queue: Queue,
    private readonly deployment: DeploymentIdentity,
  ) {}

  /** Adds the job unless one with the same id is already queued, running or kept as failed. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    const data = {
      ...payload,
      requestId: payload.requestId ?? RequestContext.requestId(),
      deployment: this.deployment.id,
    };
    await this.queue.add(name, data, { ...DEFAULT_OPTIONS, jobId: jobIdOf(name, payload.documentId) });
  }

  /**
   * Queues the job afresh: a finished or failed job with the same id is removed first. Returns
   * false when the job is running right now and was left alone.
   */
  async requeue<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<boolean> {
    const existing = await this.queue.getJob(jobIdOf(name, payload.documentId));
    if (existing) {
      const state = await existing.getState();
      if (state === 'active') return false;
      await existing.remove().catch(() => undefined);
    }
    await this.enqueue(name, payload);
    return true;
  }

  /** Drops waiting or delayed jobs of a deleted document (a running one finds the row gone). */
  async cancel(documentId: string): Promise<void> {
    for (const name of Object.values(JobName)) {
      const job = await this.queue.getJob(jobIdOf(name, documentId));
      if (job && !(await job.isActive())) await job.remove().catch(() => undefined);
    }
  }

  async hasLiveJob(documentId: string): Promise<boolean> {
    for (const name of Object.values(JobName)) {
      const job = await this.queue.getJob(jobIdOf(name, documentId));
      if (!job) continue;
      const state = await job.getState();
      if (['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'].includes(state)) return true;
    }
    return false;
  }

  /** When the job was created, if it is kept as failed (it exhausted its attempts); else null. */
  async failedSince(name: JobName, documentId: string): Promise<number | null> {
    const job = await this.queue.getJob(jobIdOf(name, documentId));
    if (!job || (await job.getState()) !== 'failed') return null;
    return job.timestamp;
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  }

  async ping(): Promise<boolean> {
    const client = (await this.queue.client) as unknown as { ping(): Promise<string> };
    return (await client.ping()) === 'PONG';
  }
}
