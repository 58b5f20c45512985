import { describe, expect, it } from 'vitest';
import type { CacheStatus } from './types';
import { cacheWarnings, formatAge } from './warnings';

function status(resource: string, kind: string, overrides: Partial<CacheStatus> = {}): CacheStatus {
  return {
    resource,
    kind,
    apiVersion: 'v1',
    state: 'synced',
    stale: false,
    objects: 1,
    relists: 0,
    restarts: 0,
    ...overrides,
  };
}

const now = Date.parse('2026-01-01T12:00:00Z');

describe('cacheWarnings', () => {
  it('says nothing when every cache is synced', () => {
    expect(cacheWarnings([status('pods', 'Pod'), status('services', 'Service')], now)).toEqual([]);
  });

  it('gives one line with the age when the whole cluster is unreachable', () => {
    const lost = { state: 'stale' as const, stale: true, lastError: 'connect ECONNREFUSED 127.0.0.1:6443' };
    const warnings = cacheWarnings(
      [
        status('pods', 'Pod', { ...lost, staleSince: '2026-01-01T11:59:18Z' }),
        status('services', 'Service', { ...lost, staleSince: '2026-01-01T11:59:20Z' }),
        status('virtualservices', 'VirtualService', { state: 'not-installed', objects: 0 }),
      ],
      now,
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toEqual({
      source: 'kube',
      message:
        'Lost the connection to the Kubernetes API: data is stale since 2026-01-01T11:59:18.000Z (42 s ago); reconnecting (connect ECONNREFUSED 127.0.0.1:6443)',
    });
  });

  it('names the kinds that are stale, forbidden or not served', () => {
    const warnings = cacheWarnings(
      [
        status('pods', 'Pod', { state: 'stale', stale: true, staleSince: '2026-01-01T11:57:00Z' }),
        status('services', 'Service'),
        status('authorizationpolicies', 'AuthorizationPolicy', { state: 'forbidden', lastError: 'no' }),
        status('envoyfilters', 'EnvoyFilter', { state: 'not-installed' }),
        status('virtualservices', 'VirtualService'),
      ],
      now,
    ).map((warning) => warning.message);
    expect(warnings).toEqual([
      'Kubernetes data for Pod is stale since 2026-01-01T11:57:00.000Z (3 min ago); reconnecting',
      'Not allowed to list and watch AuthorizationPolicy; not shown (no)',
      'Not served by the cluster, so not shown: EnvoyFilter',
    ]);
  });
});

describe('formatAge', () => {
  it('reads as people say it', () => {
    expect([0, 42_000, 180_000, 3_600_000, 7_500_000].map(formatAge)).toEqual([
      '0 s',
      '42 s',
      '3 min',
      '1 h',
      '2 h 5 min',
    ]);
  });
});
