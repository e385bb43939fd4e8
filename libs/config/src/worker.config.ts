import { Expose } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ToInt, ToList } from './config-transforms';
import { SharedConfig } from './shared.config';
import { availableParallelism } from 'node:os';

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

  @Expose()
  @ToInt()
  @IsInt()
  @Min(1_000_000)
  OCR_MAX_PIXELS: number = 100_000_000;

  @Expose()
  @IsOptional()
  @IsString()
  MINDEE_API_KEY?: string;

  @Expose()
  @IsOptional()
  @IsString()
  MINDEE_MODEL_ID?: string;

  @Expose()
  @IsString()
  @Matches(/^https?:\/\/\S+$/)
  MINDEE_BASE_URL: string = 'https://api-v2.mindee.net';

  @Expose()
  @IsOptional()
  @IsString()
  MINDEE_WEBHOOK_SECRET?: string;

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
}
