import { Expose } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ToInt } from './config-transforms';
import { SharedConfig } from './shared.config';

export class ApiConfig extends SharedConfig {
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @Expose()
  @IsString()
  HOST: string = '0.0.0.0';

  /** `key:tenant` pairs, comma-separated; unset runs open in one default tenant. */
  @Expose()
  @IsOptional()
  @Matches(/^\s*[^:,\s]{8,}:[a-z0-9_-]{1,64}(\s*,\s*[^:,\s]{8,}:[a-z0-9_-]{1,64})*\s*$/i, {
    message: 'must be comma-separated key:tenant pairs (keys of 8+ characters)',
  })
  API_KEYS?: string;

  /** Seconds a key found in the database is trusted before it is looked up again (revocation delay). */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(3600)
  API_KEY_CACHE_SECONDS: number = 10;

  /** Requests per key (per client address when the API is open) in each throttle window; 0 turns throttling off. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(0)
  THROTTLE_LIMIT: number = 600;

  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(86400)
  THROTTLE_WINDOW_SECONDS: number = 60;

  /** `GET /v1/events`: a comment line this often keeps proxies from closing an idle stream. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(100)
  @Max(300_000)
  EVENTS_HEARTBEAT_MS: number = 15_000;
}
