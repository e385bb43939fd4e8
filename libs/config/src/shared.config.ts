import { Expose } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { ToBool, ToInt, ToList } from './config-transforms';

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/** What sits between the apps and Postgres on DATABASE_URL (and DATABASE_REPLICA_URL). */
export const DATABASE_POOLERS = ['none', 'pgbouncer-transaction'] as const;
export type DatabasePooler = (typeof DATABASE_POOLERS)[number];

/** Keys read by both apps: where the services are and where files live. */
export class SharedConfig {
  @Expose()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** A streaming replica of DATABASE_URL: search's hit statement reads from it, everything else from the primary. */
  @Expose()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_REPLICA_URL?: string;

  /**
   * `pgbouncer-transaction`: DATABASE_URL (and the replica) go through a transaction-mode pooler
   * (PgBouncer before 1.21, or without `max_prepared_statements`), where consecutive transactions
   * of one client run on different server sessions. Search's hit statement is then sent unnamed
   * (a named one is prepared per session: "prepared statement … already exists" / "does not
   * exist"), and what needs a session of its own — LISTEN, the migration lock, the watchdog's
   * probe — uses DATABASE_DIRECT_URL. `none` keeps the named statement, planned once per session.
   */
  @Expose()
  @IsIn(DATABASE_POOLERS)
  DATABASE_POOLER: DatabasePooler = 'none';

  /**
   * Postgres with no transaction pooler in between (directly, or a session-mode pool), for what
   * holds a session: event LISTEN, the migration advisory lock, the watchdog. Required with
   * DATABASE_POOLER=pgbouncer-transaction, and wanted behind any transaction pooler (a PgBouncer
   * 1.21+ that keeps named statements too); unset, DATABASE_URL.
   */
  @Expose()
  @ValidateIf((c: SharedConfig) => c.DATABASE_POOLER === 'pgbouncer-transaction' || c.DATABASE_DIRECT_URL !== undefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'must be a postgres:// URL (required with DATABASE_POOLER=pgbouncer-transaction)',
  })
  DATABASE_DIRECT_URL?: string;

  /**
   * Wait for a pooled Postgres connection (a new one, or a free one when all are busy) before the
   * request fails: with Postgres unreachable, the API answers 503 after this instead of hanging.
   */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(100)
  DATABASE_CONNECT_TIMEOUT_MS: number = 2_000;

  @Expose()
  @IsString()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @Expose()
  @IsOptional()
  @Matches(URL_PATTERN, { message: 'must be an http(s) URL' })
  MEILI_URL?: string;

  @Expose()
  @IsOptional()
  @IsString()
  MEILI_MASTER_KEY?: string;

  /**
   * Several Meilisearch nodes, comma-separated: documents are spread over them by document id
   * and every search goes to all of them (instead of MEILI_URL).
   */
  @Expose()
  @IsOptional()
  @ToList(/\s*,\s*/)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @Matches(URL_PATTERN, { each: true, message: 'must be comma-separated http(s) URLs' })
  MEILI_URLS?: string[];

  /** One key per node of MEILI_URLS, comma-separated, in the same order; unset: MEILI_MASTER_KEY for all. */
  @Expose()
  @IsOptional()
  @ToList(/\s*,\s*/)
  @IsArray()
  @IsString({ each: true })
  MEILI_MASTER_KEYS?: string[];

  @Expose()
  @IsString()
  @Matches(/^[a-z0-9_-]{1,64}$/i)
  MEILI_INDEX: string = 'pages';

  @Expose()
  @IsString()
  DATA_DIR: string = './data';

  /** Unset: derived from the database's identity (DeploymentIdentity), unique per deployment. */
  @Expose()
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_]{1,40}$/i)
  QUEUE_PREFIX?: string;

  @Expose()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Upload limit in bytes (100 MB, as Mindee). */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  MAX_UPLOAD_BYTES: number = 100 * 1024 * 1024;

  /** Engine for new documents; `reprocess` can pick the other one per document. */
  @Expose()
  @IsIn(['local', 'mindee'])
  OCR_PROVIDER: 'local' | 'mindee' = 'local';

  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(10000)
  OCR_MAX_PAGES: number = 200;

  /** Pixels a page image may have: the worker fails bigger pages, IIIF imports refuse them up front. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1_000_000)
  OCR_MAX_PIXELS: number = 100_000_000;

  /** HMAC secret of Mindee webhooks: the api verifies them with it; unset, the webhook route is off. */
  @Expose()
  @IsOptional()
  @IsString()
  MINDEE_WEBHOOK_SECRET?: string;

  /** Ingestion by URL: time to establish the TLS connection, and for the whole download. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(100)
  URL_CONNECT_TIMEOUT_MS: number = 5_000;

  @Expose()
  @ToInt()
  @IsInt()
  @Min(100)
  URL_FETCH_TIMEOUT_MS: number = 60_000;

  /**
   * Base URL of the API as clients reach it: `polling_url` and `Location` (derived from the request
   * when unset), and the `polling_url` of webhook payloads (a path when unset).
   */
  @Expose()
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/)
  PUBLIC_URL?: string;

  /**
   * For tests and local development only: webhook endpoints on loopback addresses (127.0.0.0/8,
   * ::1) are allowed; every other private or reserved address stays refused.
   */
  @Expose()
  @ToBool()
  @IsBoolean()
  WEBHOOK_ALLOW_LOOPBACK: boolean = false;

  /**
   * For tests and local development only: ingestion by URL (and IIIF manifest import) may fetch
   * from loopback addresses; every other private or reserved address stays refused.
   */
  @Expose()
  @ToBool()
  @IsBoolean()
  URL_FETCH_ALLOW_LOOPBACK: boolean = false;
}
