import { Job } from 'bullmq';
import { JobName, JobPayloads } from './job-name';

export interface JobHandler<N extends JobName = JobName> {
  readonly jobName: N;
  handle(payload: JobPayloads[N], job: Job<JobPayloads[N]>): Promise<void>;
}

/** Multi-provider token under which libs register their handlers for the worker to collect. */
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/**
 * Builds the name → handler map and refuses to start unless every job name has exactly one
 * handler: a job nobody handles would sit in Redis forever, two handlers would race.
 */
export function buildHandlerMap(handlers: JobHandler[]): Map<JobName, JobHandler> {
  const map = new Map<JobName, JobHandler>();
  const problems: string[] = [];
  for (const handler of handlers) {
    if (map.has(handler.jobName)) problems.push(`job "${handler.jobName}" has more than one handler`);
    map.set(handler.jobName, handler);
  }
  for (const name of Object.values(JobName)) {
    if (!map.has(name)) problems.push(`job "${name}" has no handler`);
  }
  if (problems.length > 0) throw new Error(`Job handlers are miswired: ${problems.join('; ')}`);
  return map;
}
