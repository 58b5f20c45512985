import { describe, expect, it } from 'vitest';
import { backoffDelay, TokenBucket } from './backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 1_000, capMs: 30_000 };

  it('doubles from the base and stops at the cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, { ...options, random: () => 0.999_999 });
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(top)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('jitters within the upper half, so caches failing together spread out', () => {
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(500);
    expect(backoffDelay(10, { ...options, random: () => 0 })).toBe(15_000);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(3, options)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(4_000);
  });
});

describe('TokenBucket', () => {
  it('lets a burst through, then paces callers at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 2, () => now);
    for (let call = 0; call < 3; call++) {
      expect(bucket.delayForNext()).toBe(0);
      void bucket.take();
    }
    // Empty: the next token is due in 1/2 s; two queued callers are 0.5 s apart.
    expect(bucket.delayForNext()).toBe(500);
    void bucket.take();
    expect(bucket.delayForNext()).toBe(1_000);
    now += 2_000;
    expect(bucket.delayForNext()).toBe(0);
  });

  it('makes a caller wait for its token', async () => {
    const bucket = new TokenBucket(1, 20);
    expect(await bucket.take()).toBe(0);
    const started = Date.now();
    const waited = await bucket.take();
    expect(waited).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(waited - 5);
  });
});
