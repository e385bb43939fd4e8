/**
 * Delay before retry number `attempt` (1 after the first failure): `base · 2^(attempt-1)`, capped at
 * `max`, then jittered into its upper half so that endpoints failing together do not retry together.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 40));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
