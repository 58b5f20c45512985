/** Percentile answers into samples, and the PromQL that asks for them. */
import { describe, expect, it } from 'vitest';
import { responseTimeQueries, telemetryQueries } from './promql';
import { everyReporterScope } from './reporters';
import { aggregateSamples, responseTimeSamples } from './samples';
import { edgeLabels } from './series';

function edge(source: string, destination: string): Record<string, string> {
  const [sourceNamespace = '', sourceWorkload = ''] = source.split('/');
  const [namespace = '', workload = ''] = destination.split('/');
  const app = workload.replace(/-v\d+$/, '');
  return {
    source_workload_namespace: sourceNamespace,
    source_workload: sourceWorkload,
    source_canonical_service: sourceWorkload.replace(/-v\d+$/, ''),
    source_canonical_revision: 'v1',
    destination_workload_namespace: namespace,
    destination_workload: workload,
    destination_canonical_service: app,
    destination_canonical_revision: workload.slice(app.length + 1) || 'latest',
    destination_service: `${app}.${namespace}.svc.cluster.local`,
    destination_service_name: app,
    destination_service_namespace: namespace,
  };
}

describe('responseTimeQueries', () => {
  it('asks Prometheus for each percentile over the per-edge bucket sums the bucket query sends', () => {
    const queries = responseTimeQueries(['default'], 60);
    const { durations } = telemetryQueries(['default'], 60);
    expect(queries).toEqual({
      p50: `histogram_quantile(0.5, ${durations}) >= 0`,
      p95: `histogram_quantile(0.95, ${durations}) >= 0`,
      p99: `histogram_quantile(0.99, ${durations}) >= 0`,
    });
    for (const label of edgeLabels) expect(queries.p95).toContain(label);
  });
});

describe('responseTimeSamples', () => {
  const toV1 = edge('default/productpage-v1', 'default/reviews-v1');
  const toV3 = edge('default/productpage-v1', 'default/reviews-v3');
  const { requests } = aggregateSamples([
    { metric: 'requests', labels: { reporter: 'destination', ...toV1, response_code: '200' }, rate: 3 },
    { metric: 'requests', labels: { reporter: 'destination', ...toV1, response_code: '503' }, rate: 1 },
    { metric: 'requests', labels: { reporter: 'destination', ...toV3, response_code: '200' }, rate: 2 },
  ]);
  const at = (labels: Record<string, string>, value: number) => ({
    labels: { reporter: 'destination', ...labels },
    value,
  });

  it('keeps edges with all three percentiles, weighted by their request rate', () => {
    const samples = responseTimeSamples(
      {
        p50: [at(toV1, 10), at(toV3, 30)],
        p95: [at(toV1, 20), at(toV3, 60)],
        p99: [at(toV1, 25)],
      },
      everyReporterScope(['default']),
      requests,
    );
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({
      destination: { workload: 'reviews-v1', namespace: 'default', app: 'reviews', version: 'v1' },
      service: { fqdn: 'reviews.default.svc.cluster.local' },
      p50: 10,
      p95: 20,
      p99: 25,
      rate: 4,
    });
  });

  it('drops reports the reporter choice does not pick, NaN values and edges without requests', () => {
    const source = { ...toV1, reporter: 'source' };
    const unseen = edge('default/productpage-v1', 'default/ratings-v1');
    const samples = responseTimeSamples(
      {
        p50: [{ labels: source, value: 1 }, at(unseen, 1), at(toV3, Number.NaN)],
        p95: [{ labels: source, value: 2 }, at(unseen, 2), at(toV3, 2)],
        p99: [{ labels: source, value: 3 }, at(unseen, 3), at(toV3, 3)],
      },
      everyReporterScope(['default']),
      requests,
    );
    expect(samples).toEqual([]);
  });
});
