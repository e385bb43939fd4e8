import { retryDelayMs } from './retry-backoff';

describe('retryDelayMs', () => {
  it('doubles from the base, within the upper half of each step', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(2, 1000, 60_000, () => 1)).toBe(2000);
    expect(retryDelayMs(4, 1000, 60_000, () => 0.5)).toBe(6000);
  });

  it('stops growing at the maximum, even after many attempts', () => {
    expect(retryDelayMs(7, 1000, 60_000, () => 1)).toBe(60_000);
    expect(retryDelayMs(1000, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('spreads retries of the same attempt', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, 1000, 60_000)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) expect(d >= 2000 && d <= 4000).toBe(true);
  });
});
