import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnModuleInit, Type } from '@nestjs/common';
import { RequestContext } from '@recto/common';
import { WorkerConfig } from '@recto/config';
import { DeploymentIdentity } from '@recto/database';
import {
  buildHandlerMap,
  DOCUMENTS_QUEUE,
  JOB_HANDLERS,
  JobHandler,
  JobName,
  JobStats,
  SkippedJobReason,
} from '@recto/queue';
import { DelayedError, Job } from 'bullmq';

/** How long a job of another deployment is set aside before a worker (hopefully its own) takes it again. */
const FOREIGN_JOB_DELAY_MS = 5_000;

/** The one consumer of the documents queue: dispatches each job to its handler. */
@Processor(DOCUMENTS_QUEUE, { autorun: false })
export class DocumentsProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: Map<JobName, JobHandler>;
  private readonly logger = new Logger(DocumentsProcessor.name);

  constructor(
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    private readonly config: WorkerConfig,
    private readonly deployment: DeploymentIdentity,
    private readonly stats: JobStats,
  ) {
    super();
    this.handlers = buildHandlerMap(handlers);
  }

  /**
   * The processor with this deployment's lock settings: worker options are decorator metadata in
   * @nestjs/bullmq, so the decorator is applied again with them before the module is built.
   */
  static configured(config: WorkerConfig): Type<DocumentsProcessor> {
    Processor(DOCUMENTS_QUEUE, {
      autorun: false,
      lockDuration: config.QUEUE_LOCK_DURATION_MS,
      stalledInterval: config.QUEUE_STALLED_INTERVAL_MS,
    })(DocumentsProcessor);
    return DocumentsProcessor;
  }

  onModuleInit(): void {
    this.worker.concurrency = this.config.OCR_CONCURRENCY;
  }

  async process(job: Job, token?: string): Promise<void> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`No handler for job "${job.name}"`);
    const data = job.data as { requestId?: string; deployment?: string };
    if (data.deployment !== undefined && data.deployment !== this.deployment.id) {
      await this.giveBack(job, data.deployment, token);
    }
    await RequestContext.run(data.requestId, () => handler.handle(job.data, job));
  }

  /**
   * Only reachable when two deployments set the same QUEUE_PREFIX (the default prefix differs per
   * deployment). Returning would mark the job completed and its owner would never see it; instead
   * it goes back to the queue, delayed, for the owner's workers, and the operator is told loudly.
   */
  private async giveBack(job: Job, owner: string, token: string | undefined): Promise<never> {
    this.logger.error(
      { jobId: job.id, owner, deployment: this.deployment.id, queuePrefix: this.deployment.queuePrefix },
      'A job of another deployment is in this queue: two deployments share QUEUE_PREFIX; give each its own ' +
        '(or leave it unset). The job is put back for its owner.',
    );
    await this.stats.countSkipped(SkippedJobReason.ForeignDeployment).catch(() => undefined);
    await job.moveToDelayed(Date.now() + FOREIGN_JOB_DELAY_MS, token);
    throw new DelayedError();
  }
}
