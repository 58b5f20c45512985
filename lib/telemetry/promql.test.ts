import { describe, expect, it } from 'vitest';
import { kialiShapedQueries, namespaceMatcher, seriesFromAnswer, telemetryQueries } from './promql';
import { checkTelemetryQuery } from './query';
import { requestLabels } from './series';

describe('telemetryQueries', () => {
  it('sends three queries whatever the namespace count, the namespaces as one regex', () => {
    const few = telemetryQueries(['default', 'istio-system'], 30);
    const many = telemetryQueries(
      Array.from({ length: 50 }, (_, index) => `team-${index}`),
      30,
    );
    expect(Object.keys(few)).toEqual(['requests', 'durations', 'throughput']);
    expect(Object.keys(many)).toHaveLength(3);
    for (const promql of Object.values(few)) {
      expect(promql).toContain('=~"default|istio-system"');
      expect(promql).toContain('[30s]');
      expect(promql).not.toContain('namespace="default"');
    }
  });

  it('selects inbound and outbound destination reports and unreached source reports, grouped minimally', () => {
    const { requests, durations, throughput } = telemetryQueries(['default'], 60);
    expect(requests).toBe(
      `sum by (${requestLabels.join(',')}) (` +
        'rate(istio_requests_total{reporter="destination",destination_workload_namespace=~"default"}[60s]) or ' +
        'rate(istio_requests_total{reporter="destination",destination_workload_namespace!~"default",source_workload_namespace=~"default"}[60s]) or ' +
        'rate(istio_requests_total{reporter="source",destination_workload="unknown",source_workload_namespace=~"default"}[60s]) or ' +
        'rate(istio_requests_total{reporter="source",destination_workload="unknown",source_workload_namespace!~"default",destination_service_namespace=~"default"}[60s])) > 0',
    );
    expect(durations).toMatch(
      /^sum by \(reporter,[a-z_,]*,le\) \(rate\(istio_request_duration_milliseconds_bucket\{/,
    );
    expect(durations).not.toContain('response_code');
    for (const metric of [
      'istio_request_bytes_sum',
      'istio_response_bytes_sum',
      'istio_tcp_sent_bytes_total',
      'istio_tcp_received_bytes_total',
    ])
      expect(throughput).toContain(`rate(${metric}{`);
    expect(throughput.match(/label_replace\(/g)).toHaveLength(4);
  });

  it('groups every query by the labels the reporter choice reads', () => {
    const read = [
      'reporter',
      'source_workload_namespace',
      'destination_workload_namespace',
      'destination_workload',
      'destination_service_namespace',
    ];
    for (const promql of Object.values(telemetryQueries(['default'], 60))) {
      const clauses = [...promql.matchAll(/sum by \(([^)]*)\)/g)].map((match) => match[1]?.split(',') ?? []);
      expect(clauses.length).toBeGreaterThan(0);
      for (const labels of clauses) expect(labels).toEqual(expect.arrayContaining(read));
    }
  });

  it('rounds the window to whole seconds and escapes what RE2 and PromQL strings would read', () => {
    expect(telemetryQueries(['a'], 0.4).requests).toContain('[1s]');
    expect(namespaceMatcher(['b', 'a.b', 'a', 'b'])).toBe('a|a\\\\.b|b');
  });
});

describe('seriesFromAnswer', () => {
  it('maps each concern to its metric, throughput by its tag', () => {
    const labels = { reporter: 'destination' };
    expect(seriesFromAnswer('requests', [{ labels, value: 2 }])).toEqual([
      { metric: 'requests', labels, rate: 2 },
    ]);
    expect(seriesFromAnswer('durations', [{ labels: { le: '+Inf' }, value: 1 }])[0]?.metric).toBe(
      'durationBucket',
    );
    expect(
      seriesFromAnswer('throughput', [
        { labels: { meshscope_metric: 'tcpSentBytes', source_workload: 'a' }, value: 5 },
        { labels: { meshscope_metric: 'bogus' }, value: 5 },
      ]),
    ).toEqual([{ metric: 'tcpSentBytes', labels: { source_workload: 'a' }, rate: 5 }]);
  });
});

describe('kialiShapedQueries', () => {
  it('runs three queries per namespace with the 17-label by', () => {
    const queries = kialiShapedQueries(['default', 'legacy'], 60);
    expect(queries).toHaveLength(6);
    expect(queries.filter((query) => query.namespace === 'legacy').map((query) => query.reporter)).toEqual([
      'source',
      'destination',
      'source',
    ]);
    const by = /by \(([^)]*)\)/.exec(queries[0]?.promql ?? '')?.[1]?.split(',');
    expect(by).toHaveLength(17);
    expect(queries[0]?.promql).toContain('destination_service=~"^.+\\\\.default\\\\..+$"');
  });
});

describe('checkTelemetryQuery', () => {
  it('accepts Kubernetes names and a positive window, and refuses the rest', () => {
    expect(checkTelemetryQuery({ namespaces: ['b', 'a', 'b'], windowSeconds: 59.6 })).toEqual({
      ok: true,
      namespaces: ['a', 'b'],
      windowSeconds: 60,
    });
    expect(checkTelemetryQuery({ namespaces: ['a"}'], windowSeconds: 60 }).ok).toBe(false);
    expect(checkTelemetryQuery({ namespaces: ['a'], windowSeconds: 0 }).ok).toBe(false);
  });
});
