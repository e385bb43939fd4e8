import { Logger, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';

export interface RateLimiterOptions {
  redisUrl: string;
  /** Keys live under `<prefix>:throttle:`, beside the queues of the same deployment. */
  prefix: string;
  /** Requests allowed per window; 0 turns throttling off. */
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

// One round trip, atomic across api processes: count the hit and start the window on the first one.
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/**
 * Fixed-window request counting in Redis, so every api process shares one budget per key. When
 * Redis does not answer the request is let through: throttling protects capacity, and an
 * unreachable Redis already stops uploads (their jobs go there) without also stopping reads.
 */
export class RateLimiter implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly redis: Redis | null;

  constructor(private readonly options: RateLimiterOptions) {
    this.redis =
      options.limit > 0
        ? new Redis(options.redisUrl, {
            lazyConnect: false,
            maxRetriesPerRequest: 1,
            enableOfflineQueue: false,
            commandTimeout: 1000,
          })
        : null;
    this.redis?.on('error', (err: Error) => this.logger.warn({ err: err.message }, 'Throttling store unreachable'));
  }

  async hit(id: string): Promise<RateDecision> {
    const { limit, windowSeconds } = this.options;
    if (!this.redis) return { allowed: true, limit, remaining: limit, resetSeconds: 0 };
    try {
      const [count, ttl] = (await this.redis.eval(
        HIT,
        1,
        `${this.options.prefix}:throttle:${id}`,
        String(windowSeconds * 1000),
      )) as [number, number];
      return {
        allowed: count <= limit,
        limit,
        remaining: Math.max(0, limit - count),
        resetSeconds: Math.max(1, Math.ceil(ttl / 1000)),
      };
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'Throttling skipped: Redis did not answer');
      return { allowed: true, limit, remaining: limit, resetSeconds: 0 };
    }
  }

  onModuleDestroy(): void {
    this.redis?.disconnect();
  }
}
