import { describe, expect, it } from 'vitest';
import { request, telemetry } from './fixtures/builders';
import { loadFixture } from './fixtures/load';
import { trafficRecords } from './traffic-records';

describe('trafficRecords', () => {
  it('is empty without telemetry', () => {
    expect(trafficRecords(null, ['default'])).toEqual({
      requests: [],
      security: [],
      durations: [],
      responseTimes: [],
      throughput: [],
    });
  });

  it('keeps the reports the telemetry layer chose, and their mTLS view', () => {
    const { telemetry: snapshot, namespaces } = loadFixture('bookinfo');
    const records = trafficRecords(snapshot, namespaces);
    expect(records.requests).toHaveLength(snapshot.requests.length);
    expect(records.security.every((record) => record.policy === 'mutual_tls')).toBe(true);
    expect(records.durations).toHaveLength(snapshot.durations.length);
    expect(records.throughput).toHaveLength(snapshot.throughput.length);
  });

  it('does not count an edge twice when both sidecars reported it', () => {
    const fromDestination = request({
      from: 'default/productpage-v1',
      service: 'reviews',
      to: 'default/reviews-v1',
      rate: 5,
    });
    const fromSource = {
      ...fromDestination,
      reporter: 'source' as const,
      securityPolicy: 'unknown' as const,
    };
    const neverArrived = request({
      from: 'default/productpage-v1',
      service: 'reviews',
      to: 'unknown',
      rate: 0.5,
      code: '503',
      flags: 'UH',
      reporter: 'source',
    });
    const records = trafficRecords(telemetry({ requests: [fromSource, fromDestination, neverArrived] }), [
      'default',
    ]);
    expect(records.requests).toEqual([fromDestination, neverArrived]);
    // Only the destination knows whether it enforced mutual TLS.
    expect(records.security.map((record) => record.policy)).toEqual(['mutual_tls']);
  });

  it("keeps a source's report when the destination's was not read", () => {
    const onlySource = request({
      from: 'default/productpage-v1',
      service: 'reviews',
      to: 'default/reviews-v1',
      rate: 2,
      reporter: 'source',
    });
    expect(trafficRecords(telemetry({ requests: [onlySource] }), ['default']).requests).toEqual([onlySource]);
  });

  it('drops samples without rate and samples outside the requested namespaces', () => {
    const idle = request({
      from: 'default/productpage-v1',
      service: 'reviews',
      to: 'default/reviews-v1',
      rate: 0,
    });
    const elsewhere = request({
      from: 'shop/cart-v1',
      service: 'orders.shop',
      to: 'shop/orders-v1',
      rate: 3,
    });
    const intoScope = request({
      from: 'shop/cart-v1',
      service: 'reviews',
      to: 'default/reviews-v1',
      rate: 1,
    });
    const records = trafficRecords(telemetry({ requests: [idle, elsewhere, intoScope] }), ['default']);
    expect(records.requests).toEqual([intoScope]);
    expect(trafficRecords(telemetry({ requests: [elsewhere] }), []).requests).toEqual([elsewhere]);
  });
});
