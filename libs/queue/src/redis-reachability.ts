import Redis from 'ioredis';

/** Fails fast with a readable message when nothing answers at REDIS_URL (instead of endless reconnects). */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const safe = url.replace(/\/\/[^@]*@/, '//***@');
    throw new Error(`Redis does not answer at ${safe} (REDIS_URL): ${(err as Error).message}`);
  } finally {
    client.disconnect();
  }
}
