import { Expose } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ToInt } from './config-transforms';
import { SharedConfig } from './shared.config';

/** What `npm start` needs to decide which services to embed. */
export class LauncherConfig extends SharedConfig {
  @Expose()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,5}$/)
  PORT?: string;

  /** Port of the embedded Postgres, when DATABASE_URL is unset. */
  @Expose()
  @IsString()
  @Matches(/^\d{1,5}$/)
  EMBEDDED_POSTGRES_PORT: string = '5433';

  /** Port of the embedded Meilisearch, when MEILI_URL is unset. */
  @Expose()
  @IsString()
  @Matches(/^\d{1,5}$/)
  EMBEDDED_MEILI_PORT: string = '7700';

  /** `--max-indexing-memory` of the embedded Meilisearch (e.g. `512MiB`, `2GiB`). */
  @Expose()
  @IsString()
  @Matches(/^\d+(\.\d+)?\s*(B|[KMGT]i?B)$/i)
  EMBEDDED_MEILI_MAX_INDEXING_MEMORY: string = '1GiB';

  /** Port of the `redis-server` run when REDIS_URL is unset and nothing answers at the default address. */
  @Expose()
  @IsString()
  @Matches(/^\d{1,5}$/)
  EMBEDDED_REDIS_PORT: string = '6380';

  /** Restarts in a row of an embedded service that keeps dying before `npm start` gives up and exits. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(100)
  EMBEDDED_RESTART_ATTEMPTS: number = 5;
}
