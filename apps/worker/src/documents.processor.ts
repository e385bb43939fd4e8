import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnModuleInit, Type } from '@nestjs/common';
import { RequestContext } from '@recto/common';
import { WorkerConfig } from '@recto/config';
import { buildHandlerMap, DOCUMENTS_QUEUE, JOB_HANDLERS, JobHandler, JobName } from '@recto/queue';
import { Job } from 'bullmq';

/** The one consumer of the documents queue: dispatches each job to its handler. */
@Processor(DOCUMENTS_QUEUE, { autorun: false })
export class DocumentsProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: Map<JobName, JobHandler>;

  constructor(
    @Inject(JOB_HANDLERS) handlers: JobHandler[],
    private readonly config: WorkerConfig,
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

  async process(job: Job): Promise<void> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`No handler for job "${job.name}"`);
    const data = job.data as { requestId?: string };
    await RequestContext.run(data.requestId, () => handler.handle(job.data, job));
  }
}
