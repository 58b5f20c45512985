/** Percentile answers into samples, and the PromQL that asks for them. */
import { describe, expect, it } from 'vitest';
import { responseTimeQueries, telemetryQueries } from './promql';
import { responseTimeSamples } from './samples';
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
  it("asks Prometheus for each percentile per edge without a graph, over the bucket query's selectors", () => {
    const queries = responseTimeQueries(['default'], 60);
    const { durations } = telemetryQueries(['default'], 60);
    const rates = durations.slice(durations.indexOf('(rate(') + 1, -1);
    const by = [...edgeLabels, 'le'].join(',');
    expect(queries.p50).toBe(
      `label_replace(histogram_quantile(0.5, sum by (${by}) (${rates})) >= 0, "meshscope_hop", "edge", "", "")`,
    );
    expect(queries.p99).toContain('histogram_quantile(0.99,');
  });

  it('asks per hop of the graph, by the labels that name its nodes', () => {
    const { p95 } = responseTimeQueries(['default'], 60, { graphType: 'app', injectServiceNodes: true });
    expect(p95).toContain(
      'sum by (source_workload_namespace,source_canonical_service,destination_service,destination_service_name,destination_service_namespace,le)',
    );
    expect(p95).toContain(
      'sum by (destination_service,destination_service_name,destination_service_namespace,destination_workload_namespace,destination_canonical_service,le)',
    );
    expect(p95).toContain('"meshscope_hop", "caller"');
    expect(p95).toContain('"meshscope_hop", "callee"');
    expect(p95).not.toContain('reporter,');
  });
});

describe('responseTimeSamples', () => {
  const toV1 = edge('default/productpage-v1', 'default/reviews-v1');
  const toV3 = edge('default/productpage-v1', 'default/reviews-v3');
  const caller = (labels: Record<string, string>, value: number) => {
    const {
      destination_workload: _w,
      destination_canonical_service: _a,
      destination_canonical_revision: _v,
      destination_workload_namespace: _n,
      ...rest
    } = labels;
    return { labels: { ...rest, meshscope_hop: 'caller' }, value };
  };
  const callee = (labels: Record<string, string>, value: number) => {
    const {
      source_workload: _w,
      source_canonical_service: _a,
      source_canonical_revision: _v,
      source_workload_namespace: _n,
      ...rest
    } = labels;
    return { labels: { ...rest, meshscope_hop: 'callee' }, value };
  };

  it('keeps groups with all three percentiles, keyed by their hop and grouped labels', () => {
    const samples = responseTimeSamples(
      {
        p50: [caller(toV1, 10), callee(toV1, 8), callee(toV3, 30)],
        p95: [caller(toV1, 20), callee(toV1, 16), callee(toV3, 60)],
        p99: [caller(toV1, 25), callee(toV1, 20)],
      },
      'workload',
    );
    expect(samples).toHaveLength(2);
    expect(samples[0]).toMatchObject({
      hop: 'caller',
      source: { namespace: 'default', workload: 'productpage-v1', app: '*', version: '*' },
      destination: { namespace: '*', workload: '*' },
      service: { fqdn: 'reviews.default.svc.cluster.local' },
      p50: 10,
      p95: 20,
      p99: 25,
    });
    expect(samples[1]).toMatchObject({
      hop: 'callee',
      source: { workload: '*' },
      destination: { namespace: 'default', workload: 'reviews-v1' },
      p50: 8,
    });
  });

  it('drops NaN values and answers of no known hop', () => {
    const samples = responseTimeSamples(
      {
        p50: [callee(toV3, Number.NaN), { labels: { ...toV1, meshscope_hop: 'other' }, value: 1 }],
        p95: [callee(toV3, 2), { labels: { ...toV1, meshscope_hop: 'other' }, value: 1 }],
        p99: [callee(toV3, 3), { labels: { ...toV1, meshscope_hop: 'other' }, value: 1 }],
      },
      'workload',
    );
    expect(samples).toEqual([]);
  });
});
