/**
 * Local rate limits end to end through the dashboard's own routes, against the simulated `chaos`
 * mesh with live traffic and direct sidecar scrapes (configured by environment, as the launcher
 * does): inventory-poller-v1 polls inventory-v1 at 6 req/s past the 4 req/s token bucket of the
 * `inventory-local-ratelimit` EnvoyFilter, so the graph's edge carries 429s flagged RL, and the
 * security policies list the limit on inventory-v1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphResponse } from '@/lib/types/graph';
import type { PoliciesResponse } from '@/lib/types/security';
import { inventoryPollRps, inventoryRateLimit } from '../sim/scenarios/chaos';
import { eventually, startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { signedIn } from './auth/testing';

// Server modules are imported after the environment names the simulator's kubeconfig.
type CachesModule = typeof import('./cache/resource-caches');
type TelemetryModule = typeof import('./telemetry/source');
type GraphRoute = typeof import('@/app/api/graph/route');
type PoliciesRoute = typeof import('@/app/api/security/policies/route');

const BASE = 'http://127.0.0.1:3000';

describe('local rate limits through the API, chaos scenario', () => {
  let simulator: TestSimulator;
  let caches: CachesModule;
  let telemetry: TelemetryModule;
  let graph: GraphRoute;
  let policies: PoliciesRoute;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', seed: 3 });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.admin;
    process.env.MESHSCOPE_LOG_LEVEL = 'error';
    caches = await import('./cache/resource-caches');
    telemetry = await import('./telemetry/source');
    graph = await import('@/app/api/graph/route');
    policies = await import('@/app/api/security/policies/route');
  });
  afterAll(async () => {
    (await telemetry?.getTelemetrySource().catch(() => undefined))?.close();
    await caches?.stopResourceCaches();
    await simulator?.dispose();
  });

  it('GET /api/graph: the edge into inventory-v1 carries 429s flagged RL, about a third of its rate', async () => {
    const edge = await eventually(
      async () => {
        const response = await graph.GET(
          signedIn(`${BASE}/api/graph?namespaces=default&graphType=workload&duration=60s`),
        );
        expect(response.status).toBe(200);
        const body = (await response.json()) as GraphResponse;
        const id = (name: string) => body.nodes.find((node) => node.name === name)?.id;
        // The workload graph draws the call through the service node: poller → inventory → inventory-v1.
        const into = body.edges.find((candidate) => candidate.target === id('inventory-v1'));
        const fromPoller = body.edges.find(
          (candidate) =>
            candidate.source === id('inventory-poller-v1') && candidate.target === id('inventory'),
        );
        if (!into || !fromPoller || into.source !== id('inventory')) return undefined;
        expect(fromPoller.responseCodes).toEqual(into.responseCodes);
        return (into.responseCodes['429'] ?? 0) > 0 && into.rps > 0 ? into : undefined;
      },
      40_000,
      'the poller → inventory edge with 429s',
    );
    const limitedShare = 1 - inventoryRateLimit / inventoryPollRps;
    expect(edge.responseCodes['429'] ?? 0).toBeCloseTo(edge.rps * limitedShare, 0);
    expect(edge.responseFlags.RL ?? 0).toBeCloseTo(edge.responseCodes['429'] ?? 0, 5);
    expect(edge.responseCodes['200'] ?? 0).toBeGreaterThan(0);
  }, 60_000);

  it('GET /api/security/policies lists the local rate limit on inventory-v1 only', async () => {
    const response = await policies.GET(signedIn(`${BASE}/api/security/policies?namespaces=default`));
    expect(response.status).toBe(200);
    const body = (await response.json()) as PoliciesResponse;
    expect(body.rateLimits).toEqual([
      expect.objectContaining({
        namespace: 'default',
        name: 'inventory-local-ratelimit',
        context: 'SIDECAR_INBOUND',
        selector: { app: 'inventory' },
        selects: [expect.objectContaining({ namespace: 'default', name: 'inventory-v1' })],
        maxTokens: inventoryRateLimit,
        tokensPerFill: inventoryRateLimit,
        fillIntervalSeconds: 1,
        enabledPercent: 100,
        enforcedPercent: 100,
      }),
    ]);
    expect(body.rateLimits[0]?.summary).toBe(
      `${inventoryRateLimit} requests per 1 s (bursts up to ${inventoryRateLimit}) for requests the workload receives; over it the sidecar answers 429`,
    );
  });
});
