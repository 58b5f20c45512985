/**
 * Envoy's local rate limit from Istio's EnvoyFilters: the token bucket, which EnvoyFilters count
 * and for which pods, and on the chaos scenario the 429s seen the way a user sees them — the
 * sidecars' stats scraped over the pod proxy and the proxy logs. As in Istio, the limiting sidecar
 * reports `response_code="429"` with `response_flags="RL"`; the caller's sees an upstream 429.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../cluster/types';
import { inventoryPollRps, inventoryRateLimit } from '../scenarios/chaos';
import { podNames, type Series, scrapePod, simulatorRequest, total } from '../testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';
import { localRateLimits, selects, TokenBucket } from './rate-limit';

const typeUrl = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const hundred = (numerator: number) => ({ default_value: { numerator, denominator: 'HUNDRED' } });

function envoyFilter(
  name: string,
  context: string,
  settings: Record<string, unknown>,
  options: { namespace?: string; labels?: Record<string, string>; typedStruct?: boolean } = {},
): KubeObject {
  const typedConfig = options.typedStruct
    ? { '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct', type_url: typeUrl, value: settings }
    : { '@type': typeUrl, ...settings };
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: { name, namespace: options.namespace ?? 'default' },
    spec: {
      ...(options.labels ? { workloadSelector: { labels: options.labels } } : {}),
      configPatches: [
        {
          applyTo: 'HTTP_FILTER',
          match: {
            context,
            listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } },
          },
          patch: {
            operation: 'INSERT_BEFORE',
            value: { name: 'envoy.filters.http.local_ratelimit', typed_config: typedConfig },
          },
        },
      ],
    },
  };
}

const bucket = { token_bucket: { max_tokens: 10, tokens_per_fill: 2, fill_interval: '500ms' } };

describe('TokenBucket', () => {
  it('starts full, refills by whole intervals and never above max_tokens', () => {
    const tokenBucket = new TokenBucket(3, 2, 1000, 0);
    expect([0, 0, 0, 0].map(() => tokenBucket.take(0))).toEqual([true, true, true, false]);
    expect(tokenBucket.take(999)).toBe(false);
    expect([1000, 1000, 1000].map((now) => tokenBucket.take(now))).toEqual([true, true, false]);
    // Ten intervals later: capped at 3, and the next fill comes on the interval grid.
    expect([11_500, 11_500, 11_500, 11_500].map((now) => tokenBucket.take(now))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(tokenBucket.take(11_999)).toBe(false);
    expect(tokenBucket.take(12_000)).toBe(true);
  });
});

describe('localRateLimits', () => {
  it('reads the token bucket and the runtime fractions, in the TypedStruct and the direct form', () => {
    const limits = localRateLimits([
      envoyFilter(
        'direct',
        'SIDECAR_INBOUND',
        { ...bucket, filter_enabled: hundred(100), filter_enforced: hundred(50) },
        { labels: { app: 'a' } },
      ),
      envoyFilter(
        'wrapped',
        'SIDECAR_OUTBOUND',
        { token_bucket: { max_tokens: 4, fill_interval: '60s' }, filter_enabled: hundred(100) },
        { typedStruct: true },
      ),
    ]);
    expect(limits).toEqual([
      {
        key: 'default/direct#0',
        namespace: 'default',
        selector: { app: 'a' },
        inbound: true,
        outbound: false,
        maxTokens: 10,
        tokensPerFill: 2,
        fillIntervalMs: 500,
        enabled: 1,
        enforced: 0.5,
      },
      {
        key: 'default/wrapped#0',
        namespace: 'default',
        selector: undefined,
        inbound: false,
        outbound: true,
        // tokens_per_fill defaults to max_tokens; filter_enforced unset is 0 %: counted, not enforced
        maxTokens: 4,
        tokensPerFill: 4,
        fillIntervalMs: 60_000,
        enabled: 1,
        enforced: 0,
      },
    ]);
  });

  it('leaves out filters without a token bucket and gateway listeners; ANY is both directions', () => {
    const limits = localRateLimits([
      envoyFilter('no-bucket', 'SIDECAR_INBOUND', { stat_prefix: 'http_local_rate_limiter' }),
      envoyFilter('gateway', 'GATEWAY', { ...bucket, filter_enabled: hundred(100) }),
      envoyFilter('any', 'ANY', { ...bucket, filter_enabled: hundred(100) }),
    ]);
    expect(limits.map((limit) => [limit.key, limit.inbound, limit.outbound])).toEqual([
      ['default/any#0', true, true],
    ]);
  });

  it('selects pods of its namespace by workloadSelector, and of every namespace from the root', () => {
    const [local] = localRateLimits([envoyFilter('a', 'ANY', bucket, { labels: { app: 'a' } })]);
    const [mesh] = localRateLimits([envoyFilter('m', 'ANY', bucket, { namespace: 'istio-system' })]);
    if (!local || !mesh) throw new Error('limits not read');
    expect(selects(local, { namespace: 'default', labels: { app: 'a', version: 'v1' } })).toBe(true);
    expect(selects(local, { namespace: 'default', labels: { app: 'b' } })).toBe(false);
    expect(selects(local, { namespace: 'other', labels: { app: 'a' } })).toBe(false);
    expect(selects(mesh, { namespace: 'other', labels: {} })).toBe(true);
  });
});

function run(simulator: TestSimulator, clock: { now: number }, seconds: number): void {
  for (let second = 0; second < seconds; second += 1) {
    clock.now += 1000;
    simulator.engine.tick(clock.now, 1);
  }
}

async function seriesOf(simulator: TestSimulator, app: string): Promise<Series[]> {
  const [pod] = await podNames(simulator, 'default', `app=${app}`);
  if (!pod) throw new Error(`no ${app} pod`);
  return scrapePod(simulator, 'default', pod);
}

const filtersPath = '/apis/networking.istio.io/v1alpha3/namespaces/default/envoyfilters';

describe('local rate limits on the chaos scenario', () => {
  let simulator: TestSimulator;
  const clock = { now: Date.now() };
  const fromPoller = { source_workload: 'inventory-poller-v1', destination_service_name: 'inventory' };

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 11 });
  });
  afterAll(async () => simulator?.dispose());

  it("answers the polls over inventory's token bucket 429 RL, as its sidecar reports them", async () => {
    run(simulator, clock, 30);
    const inventory = await seriesOf(simulator, 'inventory');
    const inbound = { ...fromPoller, reporter: 'destination' };
    const limited = total(inventory, 'istio_requests_total', {
      ...inbound,
      response_code: '429',
      response_flags: 'RL',
    });
    const served = total(inventory, 'istio_requests_total', { ...inbound, response_code: '200' });
    const expectedShare = 1 - inventoryRateLimit / inventoryPollRps;
    expect(limited + served).toBe(30 * inventoryPollRps);
    expect(limited / (limited + served)).toBeCloseTo(expectedShare, 1);
    // The caller's sidecar got a 429 from upstream: the flag is not its own.
    const poller = await seriesOf(simulator, 'inventory-poller');
    const outbound = { ...fromPoller, reporter: 'source', response_code: '429' };
    expect(total(poller, 'istio_requests_total', { ...outbound, response_flags: '-' })).toBe(limited);
    expect(total(poller, 'istio_requests_total', { ...outbound, response_flags: 'RL' })).toBe(0);
  });

  it("logs the 429s in inventory's proxy log with RL and local_rate_limited", async () => {
    const [pod] = await podNames(simulator, 'default', 'app=inventory');
    const log = await simulatorRequest(
      simulator,
      `/api/v1/namespaces/default/pods/${pod}/log?container=istio-proxy&tailLines=50`,
    );
    expect(log.status).toBe(200);
    expect(log.body).toMatch(/"GET \/stock\/42 HTTP\/1\.1" 429 RL local_rate_limited .* inbound\|9080\|\|/);
    expect(log.body).toMatch(/"GET \/stock\/42 HTTP\/1\.1" 200 - via_upstream /);
  });

  it('stops answering 429 once the EnvoyFilter is deleted, and limits the caller from SIDECAR_OUTBOUND', async () => {
    const deleted = await simulatorRequest(simulator, `${filtersPath}/inventory-local-ratelimit`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);
    const created = await simulatorRequest(simulator, filtersPath, {
      method: 'POST',
      body: envoyFilter(
        'poller-outbound',
        'SIDECAR_OUTBOUND',
        {
          token_bucket: { max_tokens: 2, tokens_per_fill: 2, fill_interval: '1s' },
          filter_enabled: hundred(100),
          filter_enforced: hundred(100),
        },
        { labels: { app: 'inventory-poller' } },
      ),
    });
    expect(created.status, created.body).toBe(201);
    const count = async (app: string, labels: Record<string, string>) =>
      total(await seriesOf(simulator, app), 'istio_requests_total', { ...fromPoller, ...labels });
    const before = {
      inboundLimited: await count('inventory', { reporter: 'destination', response_code: '429' }),
      inboundServed: await count('inventory', { reporter: 'destination', response_code: '200' }),
      outboundLimited: await count('inventory-poller', {
        reporter: 'source',
        response_code: '429',
        response_flags: 'RL',
      }),
    };
    run(simulator, clock, 10);
    // Inventory no longer limits; the poller's own sidecar lets 2 of its 6 polls a second out.
    expect(await count('inventory', { reporter: 'destination', response_code: '429' })).toBe(
      before.inboundLimited,
    );
    expect(await count('inventory', { reporter: 'destination', response_code: '200' })).toBe(
      before.inboundServed + 10 * 2,
    );
    expect(
      await count('inventory-poller', { reporter: 'source', response_code: '429', response_flags: 'RL' }),
    ).toBe(before.outboundLimited + 10 * (inventoryPollRps - 2));
  });
});
