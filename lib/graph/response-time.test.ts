import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../telemetry/quantile';
import {
  groupingFields,
  groupKeyOf,
  projectedEdgeKey,
  type ResponseTimeSample,
} from '../telemetry/response-times';
import type { GraphType } from '../types/graph';
import type { DurationSample, EdgeKey } from '../types/telemetry';
import { duration, percentiles, request, telemetry, workingGraph } from './fixtures/builders';
import { loadFixture } from './fixtures/load';
import type { WorkingGraph } from './model';
import { reduceToServices } from './reduce-to-services';
import { fillResponseTimes, responseTimeGaps, responseTimes } from './response-time';

describe('responseTimes', () => {
  it('interpolates percentiles inside the bucket, as histogram_quantile does', () => {
    const graph = responseTimes(
      workingGraph(
        telemetry({
          requests: [
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 10,
            }),
          ],
          durations: [
            duration({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 10,
              le: 50,
            }),
          ],
        }),
      ),
    );
    // All requests in (25, 50]: p50 = 25 + 25 * 0.5, p95 = 25 + 25 * 0.95.
    expect(graph.edges[0]?.responseTime).toEqual({ p50: 37.5, p95: 48.75, p99: 49.75 });
  });

  it('merges the histograms behind an edge before taking quantiles', () => {
    const graph = responseTimes(
      workingGraph(
        telemetry({
          requests: [
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 9,
            }),
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v3',
              rate: 1,
            }),
          ],
          durations: [
            duration({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 9,
              le: 10,
            }),
            duration({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v3',
              rate: 1,
              le: 1000,
            }),
          ],
        }),
      ),
    );
    const toService = graph.edges.find(
      (edge) => edge.id === 'wl:default:productpage-v1->svc:default:reviews:http',
    );
    expect(toService?.responseTime?.p50).toBeCloseTo(5 + 5 * (5 / 9), 10);
    expect(toService?.responseTime?.p99).toBeCloseTo(500 + 500 * 0.9, 10);
    const toV3 = graph.edges.find((edge) => edge.id === 'svc:default:reviews->wl:default:reviews-v3:http');
    expect(toV3?.responseTime?.p50).toBe(750);
  });

  it('is null without durations, and plausible on the recorded Bookinfo', () => {
    const empty = responseTimes(
      workingGraph(
        telemetry({
          requests: [
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 1,
            }),
          ],
        }),
      ),
    );
    expect(empty.edges.every((edge) => edge.responseTime === null)).toBe(true);
    const fixture = loadFixture('bookinfo');
    const recorded = responseTimes(workingGraph(fixture.telemetry, { config: fixture.config }));
    for (const edge of recorded.edges) {
      const time = edge.responseTime;
      expect(time, edge.id).not.toBeNull();
      if (!time) continue;
      expect(time.p50).toBeGreaterThan(0);
      expect(time.p50).toBeLessThanOrEqual(time.p95);
      expect(time.p95).toBeLessThanOrEqual(time.p99);
      expect(time.p99).toBeLessThan(250);
    }
  });

  it('takes the series that describes exactly an edge, and leaves the others to their buckets', () => {
    const spec = { from: 'default/productpage-v1', service: 'reviews' };
    const snapshot = telemetry({
      requests: [
        request({ ...spec, to: 'default/reviews-v1', rate: 9 }),
        request({ ...spec, to: 'default/reviews-v3', rate: 1 }),
      ],
      responseTimes: [
        // per telemetry edge: right for the service -> version hops, two parts before the service
        percentiles({ ...spec, to: 'default/reviews-v1', p50: 5, p95: 9.5, p99: 9.9 }),
        percentiles({ ...spec, to: 'default/reviews-v3', p50: 750, p95: 975, p99: 995 }),
      ],
    });
    const graph = responseTimes(workingGraph(snapshot), { percentiles: true, requests: snapshot.requests });
    const toV3 = graph.edges.find((edge) => edge.id === 'svc:default:reviews->wl:default:reviews-v3:http');
    expect(toV3?.responseTime).toEqual({ p50: 750, p95: 975, p99: 995 });
    const toService = 'wl:default:productpage-v1->svc:default:reviews:http';
    expect(graph.edges.find((edge) => edge.id === toService)?.responseTime).toBeNull();
    const gaps = responseTimeGaps(graph);
    expect(gaps.map((gap) => gap.edgeId)).toEqual([toService]);
    expect(gaps[0]?.keys.map((key) => key.destination.workload).sort()).toEqual(['reviews-v1', 'reviews-v3']);

    // Filled from the parts' buckets: what the histogram way gives (the test above).
    fillResponseTimes(graph.edges, gaps, [
      duration({ ...spec, to: 'default/reviews-v1', rate: 9, le: 10 }),
      duration({ ...spec, to: 'default/reviews-v3', rate: 1, le: 1000 }),
    ]);
    const filled = graph.edges.find((edge) => edge.id === toService)?.responseTime;
    expect(filled?.p50).toBeCloseTo(5 + 5 * (5 / 9), 10);
    expect(filled?.p99).toBeCloseTo(500 + 500 * 0.9, 10);
  });

  it('takes a caller -> service series for the hop in front of several versions', () => {
    const spec = { from: 'default/productpage-v1', service: 'reviews' };
    const snapshot = telemetry({
      requests: [
        request({ ...spec, to: 'default/reviews-v1', rate: 9 }),
        request({ ...spec, to: 'default/reviews-v3', rate: 1 }),
      ],
      responseTimes: [
        percentiles({ ...spec, to: 'default/reviews-v1', hop: 'caller', p50: 7, p95: 900, p99: 950 }),
        percentiles({ ...spec, to: 'default/reviews-v1', hop: 'callee', p50: 5, p95: 9.5, p99: 9.9 }),
      ],
    });
    const graph = responseTimes(workingGraph(snapshot), { percentiles: true, requests: snapshot.requests });
    const byId = new Map(graph.edges.map((edge) => [edge.id, edge.responseTime]));
    expect(byId.get('wl:default:productpage-v1->svc:default:reviews:http')).toEqual({
      p50: 7,
      p95: 900,
      p99: 950,
    });
    expect(byId.get('svc:default:reviews->wl:default:reviews-v1:http')).toEqual({
      p50: 5,
      p95: 9.5,
      p99: 9.9,
    });
    // No series for v3's hop: it needs its buckets.
    expect(responseTimeGaps(graph).map((gap) => gap.edgeId)).toEqual([
      'svc:default:reviews->wl:default:reviews-v3:http',
    ]);
  });

  it('does not take a series whose group also holds requests of another edge', () => {
    const spec = { from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v1' };
    const snapshot = telemetry({
      requests: [request({ ...spec, rate: 9 })],
      responseTimes: [percentiles({ ...spec, hop: 'caller', p50: 7, p95: 900, p99: 950 })],
    });
    // Requests of the group the graph does not place on this edge (as if filtered out before).
    const elsewhere = [...snapshot.requests, request({ ...spec, rate: 1 })];
    const graph = responseTimes(workingGraph(snapshot), { percentiles: true, requests: elsewhere });
    const toService = graph.edges.find(
      (edge) => edge.id === 'wl:default:productpage-v1->svc:default:reviews:http',
    );
    expect(toService?.responseTime).toBeNull();
    expect(toService?.responseTimeParts).toHaveLength(1);
  });
});

/**
 * What Prometheus answers to the percentile queries (promql.ts `responseTimeQueries`), from the
 * recorded histograms: buckets summed per hop group, then histogram_quantile.
 */
function hopPercentiles(durations: readonly DurationSample[], graphType: GraphType): ResponseTimeSample[] {
  return (['caller', 'callee'] as const).flatMap((hop) => {
    const fields = groupingFields(graphType, hop);
    const groups = new Map<string, { key: EdgeKey; buckets: Map<number, number> }>();
    for (const sample of durations) {
      const key = projectedEdgeKey(fields, sample);
      const group = groupKeyOf(fields, key);
      let found = groups.get(group);
      if (!found) {
        found = { key, buckets: new Map() };
        groups.set(group, found);
      }
      for (const { le, rate } of sample.buckets) found.buckets.set(le, (found.buckets.get(le) ?? 0) + rate);
    }
    return [...groups].map(([group, { key, buckets }]) => {
      const sorted = [...buckets].map(([le, rate]) => ({ le, rate })).sort((a, b) => a.le - b.le);
      return {
        ...key,
        hop,
        group,
        p50: histogramQuantile(0.5, sorted),
        p95: histogramQuantile(0.95, sorted),
        p99: histogramQuantile(0.99, sorted),
      };
    });
  });
}

describe('response times from percentiles per hop against histograms', () => {
  // What the Prometheus source sends (percentiles per hop group, and the buckets of the edges no
  // group describes) against what direct scrapes send (histograms), on the same recorded traffic:
  // the same percentiles on every edge, for every graph type (floating-point sums aside).
  const tolerance = { p50: 1e-9, p95: 1e-9, p99: 1e-9 };
  const cases = (['bookinfo', 'chaos'] as const).flatMap((name) =>
    (['workload', 'app', 'versionedApp', 'service'] as const).map((graphType) => ({ name, graphType })),
  );
  for (const { name, graphType } of cases) {
    it(`gives every edge of the recorded ${name} ${graphType} graph the histograms' percentiles`, () => {
      const fixture = loadFixture(name);
      const percentilesOf = hopPercentiles(fixture.telemetry.durations, graphType);
      const options = {
        config: fixture.config,
        namespaces: fixture.namespaces,
        graphType: graphType === 'service' ? ('workload' as const) : graphType,
      };
      // The service graph is reduced from the workload graph before response times, as buildGraph does.
      const reduced = (graph: WorkingGraph) => (graphType === 'service' ? reduceToServices(graph) : graph);
      const exact = responseTimes(reduced(workingGraph(fixture.telemetry, options)));
      const estimated = responseTimes(
        reduced(workingGraph({ ...fixture.telemetry, durations: [], responseTimes: percentilesOf }, options)),
        { percentiles: true, requests: fixture.telemetry.requests },
      );
      const gaps = responseTimeGaps(estimated);
      // Grouped per hop, only the service graph's merged service -> service edges need buckets.
      if (graphType !== 'service') expect(gaps).toEqual([]);
      fillResponseTimes(estimated.edges, gaps, fixture.telemetry.durations);
      const byId = new Map(estimated.edges.map((edge) => [edge.id, edge.responseTime]));
      const timed = exact.edges.filter((edge) => edge.responseTime !== null);
      expect(timed.length).toBeGreaterThanOrEqual(3);
      for (const edge of timed) {
        const estimate = byId.get(edge.id);
        for (const q of ['p50', 'p95', 'p99'] as const) {
          const truth = edge.responseTime?.[q] ?? Number.NaN;
          expect(Math.abs((estimate?.[q] ?? Number.NaN) - truth) / truth, `${edge.id} ${q}`).toBeLessThan(
            tolerance[q],
          );
        }
      }
    });
  }
});
