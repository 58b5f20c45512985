import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../telemetry/quantile';
import { duration, percentiles, request, telemetry, workingGraph } from './fixtures/builders';
import { loadFixture } from './fixtures/load';
import { responseTimes } from './response-time';

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

  it("takes one telemetry edge's percentiles as Prometheus gave them, and mixes merged ones by rate", () => {
    const spec = { from: 'default/productpage-v1', service: 'reviews' };
    const graph = responseTimes(
      workingGraph(
        telemetry({
          requests: [
            request({ ...spec, to: 'default/reviews-v1', rate: 9 }),
            request({ ...spec, to: 'default/reviews-v3', rate: 1 }),
          ],
          responseTimes: [
            percentiles({ ...spec, to: 'default/reviews-v1', rate: 9, p50: 5, p95: 9.5, p99: 9.9 }),
            percentiles({ ...spec, to: 'default/reviews-v3', rate: 1, p50: 750, p95: 975, p99: 995 }),
          ],
        }),
      ),
    );
    const toV3 = graph.edges.find((edge) => edge.id === 'svc:default:reviews->wl:default:reviews-v3:http');
    expect(toV3?.responseTime).toEqual({ p50: 750, p95: 975, p99: 995 });
    const toService = graph.edges.find(
      (edge) => edge.id === 'wl:default:productpage-v1->svc:default:reviews:http',
    );
    // The same traffic as histograms (the test above) gives p50 7.78 and p99 950: close, not exact.
    expect(toService?.responseTime?.p50).toBeCloseTo(5.55, 2);
    expect(toService?.responseTime?.p99).toBeCloseTo(950, 6);
  });
});

describe('response times from percentiles per edge against histograms', () => {
  // What the Prometheus source sends (percentiles per telemetry edge) against what direct scrapes
  // send (histograms), on the same recorded traffic: edges of one telemetry edge are the same,
  // merged edges (a service in front of versions, a version behind several callers) close.
  const tolerance = { p50: 0.1, p95: 0.1, p99: 0.35 };
  for (const name of ['bookinfo', 'chaos'] as const) {
    it(`gives every edge of the recorded ${name} within tolerance`, () => {
      const fixture = loadFixture(name);
      const percentilesOf = fixture.telemetry.durations.map((sample) => ({
        source: sample.source,
        destination: sample.destination,
        service: sample.service,
        rate: sample.buckets.at(-1)?.rate ?? 0,
        p50: histogramQuantile(0.5, sample.buckets),
        p95: histogramQuantile(0.95, sample.buckets),
        p99: histogramQuantile(0.99, sample.buckets),
      }));
      const options = {
        config: fixture.config,
        namespaces: fixture.namespaces,
        graphType: 'versionedApp' as const,
      };
      const exact = responseTimes(workingGraph(fixture.telemetry, options));
      const estimated = responseTimes(
        workingGraph({ ...fixture.telemetry, durations: [], responseTimes: percentilesOf }, options),
      );
      const byId = new Map(estimated.edges.map((edge) => [edge.id, edge.responseTime]));
      const timed = exact.edges.filter((edge) => edge.responseTime !== null);
      expect(timed.length).toBeGreaterThanOrEqual(5);
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
