import { Expose } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
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
}
