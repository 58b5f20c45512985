import 'server-only';

/**
 * Pacing for the caches: capped exponential backoff for restarts, and a token bucket that bounds
 * how often they may list (client-node has no client-side rate limiter of its own).
 */

export interface BackoffOptions {
  /** first delay, in milliseconds */
  baseMs: number;
  /** longest delay, in milliseconds */
  capMs: number;
  /** random in [0, 1); injectable for tests */
  random?: () => number;
}

/**
 * Delay before restart number `attempt` (0-based): base * 2^attempt, capped, with "equal jitter"
 * (a random point in the upper half) so that many caches failing together do not retry in step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A token bucket: `capacity` calls at once, then `perSecond` on average. `take()` reserves a
 * token and resolves when it is due, so callers queue in order instead of polling.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** milliseconds the next caller would wait */
  delayForNext(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  /** Reserves a token; resolves with the milliseconds waited. */
  async take(): Promise<number> {
    const wait = this.delayForNext();
    this.tokens -= 1;
    if (wait > 0) await sleep(wait);
    return wait;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}

/** A timer that never keeps the process alive on its own. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
