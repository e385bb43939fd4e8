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

  /**
   * Keys that sign IIIF links, `id:secret` pairs (secrets of 32+ characters), comma-separated: the
   * first signs, all verify. Unset: no signed links.
   */
  @Expose()
  @IsOptional()
  @Matches(/^\s*[A-Za-z0-9_-]{1,32}:[^,\s]{32,}(\s*,\s*[A-Za-z0-9_-]{1,32}:[^,\s]{32,})*\s*$/, {
    message: 'must be comma-separated id:secret pairs (ids of letters, digits, _ and -; secrets of 32+ characters)',
  })
  IIIF_SIGNING_KEYS?: string;

  /** Lifetime of a signed IIIF link when the request names none. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(60)
  IIIF_LINK_DEFAULT_SECONDS: number = 86400;

  /** The longest lifetime a signed IIIF link may be given. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(60)
  IIIF_LINK_MAX_SECONDS: number = 30 * 86400;

  /** How long a search waits on a Meilisearch that does not answer its health check either before answering 503. */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(100)
  SEARCH_TIMEOUT_MS: number = 2_000;
}
