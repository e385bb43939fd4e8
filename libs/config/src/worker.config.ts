import { Expose } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { ToInt, ToList } from './config-transforms';
import { SharedConfig } from './shared.config';
import { availableParallelism } from 'node:os';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class WorkerConfig extends SharedConfig {
  @Expose()
  @ToList()
  @IsArray()
  @IsString({ each: true })
  @Matches(/^[a-z_]{3,12}$/, { each: true })
  OCR_LANGUAGES: string[] = ['eng'];

  /** Tesseract engines in the pool, and documents processed at once. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(64)
  OCR_CONCURRENCY: number = availableParallelism();

  /** `false` reads pages as they come: no orientation or skew detection (saves its cost on known-upright scans). */
  @Expose()
  @IsIn(['true', 'false'])
  OCR_AUTO_ORIENT: 'true' | 'false' = 'true';

  /**
   * Which Tesseract the local engine runs: `native` (the `tesseract` program, 4 or later, on the
   * PATH: ~16% less CPU a page than tesseract.js, the same words), `wasm` (tesseract.js, nothing
   * to install) or `auto` (native when the program answers `tesseract --version` at boot, else
   * wasm). Same model, pixels and settings either way.
   */
  @Expose()
  @IsIn(['auto', 'wasm', 'native'])
  OCR_LOCAL_ENGINE: 'auto' | 'wasm' | 'native' = 'auto';

  /** Native engine: directory the npm language models are unpacked into (once). Default `<tmpdir>/recto-tessdata`. */
  @Expose()
  @IsOptional()
  @IsString()
  @MinLength(1)
  OCR_TESSDATA_CACHE_DIR?: string;

  /** Required when OCR_PROVIDER=mindee; with both key and model set, workers can run Mindee for `reprocess`. */
  @Expose()
  @ValidateIf((c: WorkerConfig) => c.OCR_PROVIDER === 'mindee' || c.MINDEE_API_KEY !== undefined)
  @IsString({ message: 'is required when OCR_PROVIDER=mindee' })
  MINDEE_API_KEY?: string;

  @Expose()
  @ValidateIf((c: WorkerConfig) => c.OCR_PROVIDER === 'mindee' || c.MINDEE_MODEL_ID !== undefined)
  @Matches(UUID, { message: 'is required when OCR_PROVIDER=mindee (the UUID of a Mindee OCR model)' })
  MINDEE_MODEL_ID?: string;

  @Expose()
  @IsString()
  @Matches(/^https?:\/\/\S+$/)
  MINDEE_BASE_URL: string = 'https://api-v2.mindee.net';

  /** Webhook ids (from the Mindee platform) sent with every enqueue, comma-separated. */
  @Expose()
  @ToList(/[,\s]+/)
  @IsArray()
  @Matches(UUID, { each: true, message: 'must be comma-separated webhook UUIDs' })
  MINDEE_WEBHOOK_IDS: string[] = [];

  /** Wait after enqueue before the first poll (Mindee's guidance: a few seconds). */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  MINDEE_POLL_INITIAL_DELAY_MS: number = 3000;

  /** Between polls (Mindee's guidance: every 1 to 1.5 s). */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(100)
  MINDEE_POLL_INTERVAL_MS: number = 1500;

  /** Give up on a job this long after its enqueue: Mindee's inference timeout is 590 s. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1000)
  MINDEE_MAX_WAIT_MS: number = 590_000;

  /** Requests per second to Mindee, for all workers together (shared through Redis). */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  MINDEE_REQUESTS_PER_SECOND: number = 5;

  /** Retries of one Mindee request (429, 5xx, network) before the job attempt is retried later. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(50)
  MINDEE_MAX_RETRIES: number = 8;

  /** First backoff step of those retries, doubled each time up to 30 s, with jitter. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  MINDEE_BACKOFF_BASE_MS: number = 1000;

  /**
   * BullMQ: a job whose worker stops renewing its lock (killed, frozen) for this long is taken as
   * stalled and given to another worker, which the stalled check looks for every interval.
   */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1_000)
  QUEUE_LOCK_DURATION_MS: number = 30_000;

  @Expose()
  @ToInt()
  @IsInt()
  @Min(500)
  QUEUE_STALLED_INTERVAL_MS: number = 30_000;

  /** How often the reconciler looks for documents left Processing with no live job, and after how long idle. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(500)
  RECONCILE_INTERVAL_MS: number = 60_000;

  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  RECONCILE_IDLE_MS: number = 120_000;

  /** Webhook deliveries: attempts before a delivery is marked failed. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS: number = 12;

  /** First retry delay of a delivery, doubled each attempt up to the maximum, with jitter. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(10)
  WEBHOOK_BACKOFF_BASE_MS: number = 10_000;

  @Expose()
  @ToInt()
  @IsInt()
  @Min(10)
  WEBHOOK_BACKOFF_MAX_MS: number = 6 * 3600_000;

  /** One delivery attempt: connect, send and a 2xx answer within this. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(300_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** An endpoint whose every attempt failed for this long is disabled; 0 never disables. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  WEBHOOK_DISABLE_AFTER_MS: number = 5 * 24 * 3600_000;

  /**
   * Events (the webhook outbox and the `GET /v1/events` replay) older than this are forgotten once
   * none of their deliveries is pending; 0 keeps them forever.
   */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  EVENTS_RETENTION_MS: number = 30 * 24 * 3600_000;

  /** How often due deliveries are looked for when no event notification wakes the sender earlier. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(50)
  WEBHOOK_POLL_INTERVAL_MS: number = 2_000;

  /** Deliveries sent at once by one worker. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(200)
  WEBHOOK_CONCURRENCY: number = 10;
}
