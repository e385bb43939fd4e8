import Redis from 'ioredis';

/** The rate at which one organisation may call Mindee, whatever number of workers share it. */
export interface RequestBudget {
  /** Resolves once a request may be sent. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every sharer off for `ms` (Mindee's limits are organisation-wide, so is a 429). */
  pause(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface RedisRequestBudgetOptions {
  redisUrl: string;
  /** Redis key of the bucket; every worker of one Mindee organisation must use the same. */
  key: string;
  requestsPerSecond: number;
  /** Requests that may go out at once after a quiet spell. */
  burst?: number;
}

// Token bucket on the server clock (TIME), so that workers on different hosts agree on time.
// Returns how many ms the caller must wait before asking again; 0 means a token was taken.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'paused_until')
local paused = tonumber(v[3]) or 0
if paused > now then return paused - now end
local tokens = tonumber(v[1]) or burst
local ts = tonumber(v[2]) or now
tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], 3600000)
return wait
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'paused_until')) or 0
if untilMs > current then redis.call('HSET', KEYS[1], 'paused_until', tostring(untilMs)) end
redis.call('PEXPIRE', KEYS[1], 3600000)
return 0
`;

/** A token bucket in Redis shared by every worker (and every process) that uses the same key. */
export class RedisRequestBudget implements RequestBudget {
  private readonly redis: Redis;
  private readonly burst: number;

  constructor(private readonly options: RedisRequestBudgetOptions) {
    if (!(options.requestsPerSecond > 0)) throw new Error('requestsPerSecond must be positive');
    this.burst = Math.max(1, options.burst ?? Math.ceil(options.requestsPerSecond));
    this.redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = Number(await this.redis.eval(TAKE, 1, this.options.key, this.options.requestsPerSecond, this.burst));
      if (wait <= 0) return;
      await sleep(wait, signal);
    }
  }

  async pause(ms: number): Promise<void> {
    if (ms > 0) await this.redis.eval(PAUSE, 1, this.options.key, Math.ceil(ms));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
