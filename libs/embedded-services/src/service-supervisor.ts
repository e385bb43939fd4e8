import { ServiceLogger } from './service-logger.interface';

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started service whose process the supervisor can watch. */
export interface SupervisableService {
  /** Settles when the service's process exits, for whatever reason. */
  exited: Promise<ServiceExit>;
  stop(): Promise<void>;
}

export interface SupervisorOptions<T extends SupervisableService> {
  /** For log lines: "Meilisearch", "Postgres", "Redis". */
  name: string;
  /** Starts the service (again): the same data directory and port every time. */
  start: () => Promise<T>;
  logger: ServiceLogger;
  /** Restarts in a row (none staying up for `stableAfterMs`) before giving up. */
  maxRestarts: number;
  /** Called once, after the last restart failed; the service is not running any more. */
  onGiveUp: (reason: string) => void;
  /** First wait before a restart, doubled each time up to `maxBackoffMs` (defaults 1 s, 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A service that ran this long counts as recovered: the next crash starts counting afresh (60 s). */
  stableAfterMs?: number;
}

export interface SupervisedService<T extends SupervisableService> {
  /** The running instance (a new object after each restart). */
  current(): T;
  stop(): Promise<void>;
}

/**
 * Starts a service and restarts it when its process dies (OOM killer, a crash): with backoff, one
 * log line per event, and giving up after `maxRestarts` restarts in a row. The first start's error
 * is the caller's; later failures are retried like crashes.
 */
export async function superviseService<T extends SupervisableService>(
  options: SupervisorOptions<T>,
): Promise<SupervisedService<T>> {
  const backoff = options.backoffMs ?? 1_000;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  const stableAfter = options.stableAfterMs ?? 60_000;
  let current = await options.start();
  let startedAt = Date.now();
  let stopping = false;
  let wake: (() => void) | undefined;

  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  const watch = async (): Promise<void> => {
    let restarts = 0;
    for (;;) {
      const exit = await current.exited;
      if (stopping) return;
      if (Date.now() - startedAt >= stableAfter) restarts = 0;
      let lastError = `exited (code ${exit.code}, signal ${exit.signal})`;
      options.logger.error(`Embedded ${options.name} ${lastError}`);
      for (;;) {
        if (restarts >= options.maxRestarts) {
          const reason = `Embedded ${options.name} could not be kept running: ${options.maxRestarts} restarts in a row failed or died (last: ${lastError}); giving up.`;
          options.logger.error(reason);
          options.onGiveUp(reason);
          return;
        }
        restarts++;
        const wait = Math.min(maxBackoff, backoff * 2 ** (restarts - 1));
        options.logger.warn(
          `Restarting embedded ${options.name} in ${(wait / 1000).toFixed(1)} s (restart ${restarts} of at most ${options.maxRestarts})`,
        );
        await sleep(wait);
        if (stopping) return;
        try {
          current = await options.start();
          startedAt = Date.now();
          options.logger.log(`Embedded ${options.name} restarted`);
          break;
        } catch (error) {
          lastError = error instanceof Error ? error.message.split('\n')[0] : String(error);
          options.logger.error(`Embedded ${options.name} did not restart: ${lastError}`);
        }
      }
    }
  };
  const watching = watch();

  return {
    current: () => current,
    async stop() {
      stopping = true;
      wake?.();
      await current.stop();
      await watching;
    },
  };
}
