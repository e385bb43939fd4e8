import { Expose } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ToInt } from './config-transforms';

/** The `recto` command line: which server to talk to, and as whom. */
export class CliConfig {
  @Expose()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  RECTO_URL: string = 'http://localhost:3000';

  /** Unset: no Authorization header, for a server run without API keys. */
  @Expose()
  @IsOptional()
  @IsString()
  RECTO_API_KEY?: string;

  /** Uploads in flight at once during `recto import` (`--concurrency` overrides it). */
  @Expose()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(64)
  RECTO_CONCURRENCY: number = 4;
}
