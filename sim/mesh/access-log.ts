/**
 * Sidecar access logs, kept as structured entries in a fixed-capacity ring per pod and formatted
 * only when read (`kubectl logs … -c istio-proxy`). An entry is a few numbers and two ids: the
 * strings it names (method, path, Host; cluster, upstream, pod IP) are interned per engine, so a
 * full ring costs about 44 bytes a line instead of a 300-character string.
 */

/** Interned string triples: three Map lookups on strings the caller holds, no key built. */
class Triples {
  private readonly ids = new Map<string, Map<string, Map<string, number>>>();
  readonly values: [string, string, string][] = [];

  id(a: string, b: string, c: string): number {
    let second = this.ids.get(a);
    if (!second) {
      second = new Map();
      this.ids.set(a, second);
    }
    let third = second.get(b);
    if (!third) {
      third = new Map();
      second.set(b, third);
    }
    let id = third.get(c);
    if (id === undefined) {
      id = this.values.length;
      this.values.push([a, b, c]);
      third.set(c, id);
    }
    return id;
  }
}

/** The strings access log entries refer to, shared by every ring of one engine. */
export class AccessLogStrings {
  /** method, path, Host */
  readonly requests = new Triples();
  /** cluster, upstream, pod IP */
  readonly routes = new Triples();
  private readonly flagIds = new Map<string, number>();
  readonly flags: string[] = [];

  flag(flags: string): number {
    let id = this.flagIds.get(flags);
    if (id === undefined) {
      id = this.flags.length;
      this.flags.push(flags);
      this.flagIds.set(flags, id);
    }
    return id;
  }
}

/** One sidecar's last `limit` access log entries. Storage grows by doubling up to the limit. */
export class AccessLogRing {
  private capacity = 0;
  /** index of the oldest entry */
  private head = 0;
  private size = 0;
  private times = new Float64Array(0);
  private statuses = new Float64Array(0);
  private flags = new Uint32Array(0);
  private responseBytes = new Float64Array(0);
  private durations = new Float64Array(0);
  private requests = new Uint32Array(0);
  private routes = new Uint32Array(0);

  constructor(
    private readonly strings: AccessLogStrings,
    readonly limit: number,
  ) {}

  get length(): number {
    return this.size;
  }

  /** Record one request (`host`: the Host header or `-`; `time` in milliseconds since the epoch). */
  add(
    time: number,
    method: string,
    path: string,
    host: string,
    status: number,
    flags: string,
    responseBytes: number,
    durationMs: number,
    cluster: string,
    upstream: string,
    podIp: string,
  ): void {
    if (this.limit <= 0) return;
    if (this.size === this.capacity && this.capacity < this.limit) this.grow();
    let slot: number;
    if (this.size < this.capacity) {
      slot = (this.head + this.size) % this.capacity;
      this.size += 1;
    } else {
      slot = this.head;
      this.head = (this.head + 1) % this.capacity;
    }
    this.times[slot] = time;
    this.statuses[slot] = status;
    this.flags[slot] = this.strings.flag(flags);
    this.responseBytes[slot] = responseBytes;
    this.durations[slot] = Math.round(durationMs);
    this.requests[slot] = this.strings.requests.id(method, path, host);
    this.routes[slot] = this.strings.routes.id(cluster, upstream, podIp);
  }

  /** The newest `tail` entries (all when undefined), oldest first, as Envoy's default format lines. */
  lines(tail?: number): string[] {
    const count = tail === undefined ? this.size : Math.max(0, Math.min(this.size, Math.floor(tail)));
    const lines: string[] = new Array(count);
    let formattedTime = Number.NaN;
    let timestamp = '';
    for (let index = 0; index < count; index += 1) {
      const slot = (this.head + this.size - count + index) % this.capacity;
      const time = this.times[slot] as number;
      // Entries of one tick share their time: format it once per run of equal times.
      if (time !== formattedTime) {
        timestamp = new Date(time).toISOString();
        formattedTime = time;
      }
      const [method, path, host] = this.strings.requests.values[this.requests[slot] as number] ?? [
        '',
        '',
        '',
      ];
      const [cluster, upstream, podIp] = this.strings.routes.values[this.routes[slot] as number] ?? [
        '',
        '',
        '',
      ];
      const flags = this.strings.flags[this.flags[slot] as number] ?? '-';
      const details =
        flags === '-'
          ? 'via_upstream'
          : flags === 'FI'
            ? 'fault_filter_abort'
            : flags === 'RL'
              ? 'local_rate_limited'
              : flags === 'NR'
                ? cluster
                : '-';
      const duration = this.durations[slot];
      lines[index] =
        `[${timestamp}] "${method} ${path} HTTP/1.1" ${this.statuses[slot]} ${flags} ${details} "-" 0 ${this.responseBytes[slot]} ${duration} ${duration} "-" "meshscope-sim" "-" "${host}" "${upstream}" ${cluster} ${podIp}:0 - -`;
    }
    return lines;
  }

  private grow(): void {
    const capacity = Math.min(this.limit, Math.max(16, this.capacity * 2));
    // Unwrap the ring into the new storage, oldest first.
    const move = <T extends Float64Array | Uint32Array>(from: T, to: T): T => {
      for (let index = 0; index < this.size; index += 1)
        to[index] = from[(this.head + index) % this.capacity] as number;
      return to;
    };
    this.times = move(this.times, new Float64Array(capacity));
    this.statuses = move(this.statuses, new Float64Array(capacity));
    this.flags = move(this.flags, new Uint32Array(capacity));
    this.responseBytes = move(this.responseBytes, new Float64Array(capacity));
    this.durations = move(this.durations, new Float64Array(capacity));
    this.requests = move(this.requests, new Uint32Array(capacity));
    this.routes = move(this.routes, new Uint32Array(capacity));
    this.head = 0;
    this.capacity = capacity;
  }
}
