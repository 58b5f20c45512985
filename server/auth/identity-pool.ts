import 'server-only';

interface Entry<T> {
  value: T;
  lastUsedAt: number;
}

export interface IdentityPoolOptions<T> {
  /** what to stop an instance with when it is dropped (caches' watches, telemetry pollers) */
  dispose?: (value: T) => unknown;
  /** instances unused this long are dropped, in milliseconds */
  idleMs?: number;
  /** at most this many instances; the least recently used is dropped beyond it */
  max?: number;
}

/**
 * Per-identity instances of something the process used to hold once (a cluster connection, a
 * cache set, a telemetry source): created on first use by an identity, dropped when idle, bounded
 * in number. Keys are hashes of credentials (server/auth/crypto.ts `fingerprint`), never secrets.
 */
export class IdentityPool<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly idleMs: number;
  private readonly max: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: IdentityPoolOptions<T> = {}) {
    this.idleMs = options.idleMs ?? 10 * 60_000;
    this.max = options.max ?? 32;
  }

  get(key: string, create: () => T, now = Date.now()): T {
    const existing = this.entries.get(key);
    if (existing) {
      existing.lastUsedAt = now;
      return existing.value;
    }
    while (this.entries.size >= this.max) this.dropLeastRecent();
    const value = create();
    this.entries.set(key, { value, lastUsedAt: now });
    this.startSweeping();
    return value;
  }

  /** Forgets `key` without disposing (its creation failed). */
  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops instances idle longer than the limit. */
  sweep(now = Date.now()): void {
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUsedAt > this.idleMs) this.drop(key);
    }
    if (this.entries.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  async clear(): Promise<void> {
    const values = [...this.entries.values()].map((entry) => entry.value);
    this.entries.clear();
    await Promise.all(values.map((value) => this.options.dispose?.(value)));
  }

  private startSweeping(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), Math.min(this.idleMs, 60_000));
    this.sweeper.unref();
  }

  private dropLeastRecent(): void {
    let oldest: [string, Entry<T>] | undefined;
    for (const entry of this.entries)
      if (!oldest || entry[1].lastUsedAt < oldest[1].lastUsedAt) oldest = entry;
    if (oldest) this.drop(oldest[0]);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry) Promise.resolve(this.options.dispose?.(entry.value)).catch(() => undefined);
  }
}
