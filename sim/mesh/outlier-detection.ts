/**
 * Envoy's outlier detection for one caller's upstream cluster: consecutive 5xx per host eject it for
 * baseEjectionTime × (times ejected), at most maxEjectionPercent of the hosts at once; ejected hosts
 * return after their time, checked every interval. Each caller pod's Envoy keeps its own state.
 */
import type { OutlierPolicy } from './routing';
import type { ClusterStats } from './telemetry';

interface HostState {
  consecutive5xx: number;
  consecutiveGatewayErrors: number;
  ejectedUntil: number | undefined;
  timesEjected: number;
  requests: number;
  errors: number;
  lastEjectedAt: number | undefined;
}

export interface HostHealth {
  host: string;
  ejected: boolean;
  ejectedUntil: number | undefined;
  timesEjected: number;
  requests: number;
  errors: number;
  consecutive5xx: number;
}

export class ClusterOutlierState {
  private readonly hosts = new Map<string, HostState>();
  private lastInterval = 0;
  /** hosts ejected now */
  private ejectedHosts = 0;
  /**
   * Whether a sweep could change anything: a host is ejected, or its ejection multiplier has yet
   * to come down. A state without is left out of the sweeps (see TrafficEngine.tick).
   */
  needsSweep = false;

  constructor(private readonly stats: ClusterStats) {}

  private host(address: string): HostState {
    let state = this.hosts.get(address);
    if (!state) {
      state = {
        consecutive5xx: 0,
        consecutiveGatewayErrors: 0,
        ejectedUntil: undefined,
        timesEjected: 0,
        requests: 0,
        errors: 0,
        lastEjectedAt: undefined,
      };
      this.hosts.set(address, state);
    }
    return state;
  }

  /** Return ejected hosts whose time is up (Envoy checks at each interval). */
  sweep(now: number, policy: OutlierPolicy | undefined): void {
    const interval = policy?.intervalMs ?? 10_000;
    if (now - this.lastInterval < interval) return;
    this.lastInterval = now;
    let pending = false;
    for (const state of this.hosts.values()) {
      if (state.ejectedUntil !== undefined && now >= state.ejectedUntil) {
        state.ejectedUntil = undefined;
        state.consecutive5xx = 0;
        state.consecutiveGatewayErrors = 0;
        this.ejectedHosts -= 1;
        this.stats.ejectionsActive = Math.max(0, this.stats.ejectionsActive - 1);
      } else if (
        state.ejectedUntil === undefined &&
        state.timesEjected > 0 &&
        state.lastEjectedAt !== undefined &&
        now - state.lastEjectedAt > (policy?.baseEjectionTimeMs ?? 30_000) * state.timesEjected
      ) {
        // Envoy lowers the ejection multiplier while a host stays healthy.
        state.timesEjected -= 1;
      }
      if (state.ejectedUntil !== undefined || state.timesEjected > 0) pending = true;
    }
    this.needsSweep = pending;
  }

  /** The addresses not ejected (`addresses` itself when none is). */
  healthy(addresses: string[]): string[] {
    if (this.ejectedHosts === 0) return addresses;
    return addresses.filter((address) => this.hosts.get(address)?.ejectedUntil === undefined);
  }

  /** Record one upstream answer; may eject the host. */
  record(
    address: string,
    status: number,
    now: number,
    policy: OutlierPolicy | undefined,
    hostCount: number,
  ): void {
    const state = this.host(address);
    state.requests += 1;
    if (status >= 500) state.errors += 1;
    if (!policy) return;
    if (status >= 500) state.consecutive5xx += 1;
    else state.consecutive5xx = 0;
    if (status === 502 || status === 503 || status === 504) state.consecutiveGatewayErrors += 1;
    else state.consecutiveGatewayErrors = 0;
    const tripped =
      (policy.consecutive5xxErrors > 0 && state.consecutive5xx >= policy.consecutive5xxErrors) ||
      (policy.consecutiveGatewayErrors > 0 &&
        state.consecutiveGatewayErrors >= policy.consecutiveGatewayErrors);
    if (!tripped || state.ejectedUntil !== undefined) return;
    // Envoy ejects while the ejected share is under max_ejection_percent, and always at least one host.
    const ejected = [...this.hosts.values()].filter((host) => host.ejectedUntil !== undefined).length;
    if (ejected > 0 && (ejected * 100) / Math.max(hostCount, 1) >= policy.maxEjectionPercent) return;
    state.timesEjected += 1;
    state.ejectedUntil = now + policy.baseEjectionTimeMs * state.timesEjected;
    state.lastEjectedAt = now;
    state.consecutive5xx = 0;
    this.ejectedHosts += 1;
    this.needsSweep = true;
    this.stats.ejectionsActive += 1;
    this.stats.ejectionsEnforced += 1;
    this.stats.ejectionsConsecutive5xx += 1;
  }

  snapshot(): HostHealth[] {
    return [...this.hosts.entries()].map(([host, state]) => ({
      host,
      ejected: state.ejectedUntil !== undefined,
      ejectedUntil: state.ejectedUntil,
      timesEjected: state.timesEjected,
      requests: state.requests,
      errors: state.errors,
      consecutive5xx: state.consecutive5xx,
    }));
  }
}
