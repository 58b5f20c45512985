/**
 * A short history of one target's counters (one sidecar's scrapes), for rates without a
 * time-series database. Each scrape is stored as reset-corrected cumulative values, so the rate
 * of any window is `(last − first) / Δt` of two stored samples, whatever happened in between:
 *
 * - a counter that went down was reset (the proxy restarted): the increase since is its value;
 * - a series that appears after the first scrape started from 0 at the previous scrape (Istio
 *   creates a label set's series at its first request);
 * - a series absent from a scrape keeps its last value (no increase).
 *
 * Memory is one Float64Array per kept scrape (8 bytes per series per scrape).
 */

interface Scrape {
  /** milliseconds since the epoch */
  time: number;
  /** reset-corrected cumulative value per series index; indexes past the end are 0 */
  values: Float64Array;
}

export interface WindowRates {
  /** per-second rate per series key; series without increase are 0 */
  rates: Map<string, number>;
  /** seconds between the first and last scrape used */
  spanSeconds: number;
  /** the scrapes used */
  scrapes: number;
}

export class CounterWindow {
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  private raw = new Float64Array(0);
  private corrected = new Float64Array(0);
  private readonly scrapes: Scrape[] = [];

  /** @param maxScrapes how many scrapes to keep at most (older ones are dropped first) */
  constructor(private maxScrapes: number) {}

  /** how many scrapes are kept */
  get size(): number {
    return this.scrapes.length;
  }

  /** time of the latest scrape, or undefined before the first */
  get lastTime(): number | undefined {
    return this.scrapes[this.scrapes.length - 1]?.time;
  }

  setMaxScrapes(maxScrapes: number): void {
    this.maxScrapes = Math.max(2, maxScrapes);
    this.trim();
  }

  /** Record one scrape taken at `time` (ms): raw counter values by series key. */
  add(time: number, values: ReadonlyMap<string, number>): void {
    const last = this.lastTime;
    // Two scrapes at one instant would make Δt zero: the later one replaces the earlier.
    if (last !== undefined && time <= last) this.scrapes.pop();
    const first = this.scrapes.length === 0;
    for (const [key, value] of values) {
      if (!Number.isFinite(value)) continue;
      let position = this.index.get(key);
      if (position === undefined) {
        position = this.keys.length;
        this.index.set(key, position);
        this.keys.push(key);
        this.grow(position + 1);
        this.raw[position] = value;
        // A new series counts from 0 at the previous scrape; on the first scrape it is the baseline.
        this.corrected[position] = value;
        continue;
      }
      const previous = this.raw[position] ?? 0;
      const increase = value >= previous ? value - previous : value;
      this.raw[position] = value;
      this.corrected[position] = (this.corrected[position] ?? 0) + (first ? 0 : increase);
    }
    this.scrapes.push({ time, values: this.corrected.slice(0, this.keys.length) });
    this.trim();
  }

  /**
   * Rates over the scrapes taken at or after `since` (ms) up to the latest; undefined with fewer
   * than two such scrapes.
   */
  rates(since: number): WindowRates | undefined {
    const start = this.scrapes.findIndex((scrape) => scrape.time >= since);
    if (start === -1) return undefined;
    const first = this.scrapes[start] as Scrape;
    const last = this.scrapes[this.scrapes.length - 1] as Scrape;
    const spanSeconds = (last.time - first.time) / 1000;
    if (spanSeconds <= 0) return undefined;
    const rates = new Map<string, number>();
    for (let position = 0; position < last.values.length; position += 1) {
      const increase = (last.values[position] ?? 0) - (first.values[position] ?? 0);
      rates.set(this.keys[position] as string, increase / spanSeconds);
    }
    return { rates, spanSeconds, scrapes: this.scrapes.length - start };
  }

  /**
   * The kept scrapes taken at or after `since` (ms), oldest first, for time series: each one's
   * time and reset-corrected cumulative values, indexed like `keys` (indexes past a scrape's end are 0).
   */
  history(since: number): {
    keys: readonly string[];
    scrapes: readonly { time: number; values: Float64Array }[];
  } {
    return { keys: this.keys, scrapes: this.scrapes.filter((scrape) => scrape.time >= since) };
  }

  private grow(length: number): void {
    if (length <= this.raw.length) return;
    const capacity = Math.max(length, this.raw.length * 2, 16);
    const raw = new Float64Array(capacity);
    raw.set(this.raw);
    const corrected = new Float64Array(capacity);
    corrected.set(this.corrected);
    this.raw = raw;
    this.corrected = corrected;
  }

  private trim(): void {
    while (this.scrapes.length > this.maxScrapes) this.scrapes.shift();
  }
}
