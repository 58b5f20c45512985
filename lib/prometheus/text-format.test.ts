import { describe, expect, it } from 'vitest';
import { parseTextFormat, TextFormatError } from './text-format';

describe('parseTextFormat', () => {
  it('parses counters, histogram lines, escapes and special values', () => {
    const samples = parseTextFormat(
      [
        '# HELP istio_requests_total requests',
        '# TYPE istio_requests_total counter',
        'istio_requests_total{reporter="source",path="a\\"b\\\\c",empty=""} 42',
        'istio_request_duration_milliseconds_bucket{reporter="destination",le="+Inf"} 7 1700000000000',
        'envoy_server_live 1',
        'x{} +Inf',
        '',
      ].join('\n'),
    );
    expect(samples).toEqual([
      { name: 'istio_requests_total', labels: { reporter: 'source', path: 'a"b\\c', empty: '' }, value: 42 },
      {
        name: 'istio_request_duration_milliseconds_bucket',
        labels: { reporter: 'destination', le: '+Inf' },
        value: 7,
      },
      { name: 'envoy_server_live', labels: {}, value: 1 },
      { name: 'x', labels: {}, value: Number.POSITIVE_INFINITY },
    ]);
  });

  it('reports malformed lines with their line number', () => {
    expect(() => parseTextFormat('ok 1\nbad{x="1"')).toThrow(TextFormatError);
    expect(() => parseTextFormat('ok 1\nbad{x="1"')).toThrow(/line 2/);
    expect(() => parseTextFormat('metric notanumber')).toThrow(/invalid value/);
  });

  it('reads NaN and Inf in any case, as Prometheus does (prom-client writes `Nan`)', () => {
    const values = parseTextFormat('a Nan\nb NaN\nc -inf\nd +Inf').map((sample) => sample.value);
    expect(values).toEqual([Number.NaN, Number.NaN, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });
});
