import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobQueue } from '@recto/queue';
import { SEARCH_INDEX, SearchIndex } from '@recto/search';
import { DataSource } from 'typeorm';
import { DatabaseWatchdog } from '@recto/database';

const TIMEOUT_MS = 2000;

function withTimeout(p: Promise<unknown>): Promise<'up' | 'down'> {
  return Promise.race([
    p.then((v) => (v === false ? 'down' : 'up')),
    new Promise<'down'>((resolve) => setTimeout(() => resolve('down'), TIMEOUT_MS).unref()),
  ]).catch(() => 'down' as const);
}

/** Whether each backing service answers right now. */
@Injectable()
export class ReadinessService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queue: JobQueue,
    @Inject(SEARCH_INDEX) private readonly searchIndex: SearchIndex,
    private readonly watchdog: DatabaseWatchdog,
  ) {}

  async check(): Promise<Record<'postgres' | 'redis' | 'meilisearch', 'up' | 'down'>> {
    const [postgres, redis, meilisearch] = await Promise.all([
      withTimeout(this.db.query('SELECT 1')),
      withTimeout(this.queue.ping()),
      withTimeout(this.searchIndex.isHealthy()),
    ]);
    // Ready only once the watchdog agrees too: it is what answers /v1 requests 503 while it sees Postgres down.
    return { postgres: this.watchdog.isDown() ? 'down' : postgres, redis, meilisearch };
  }
}
