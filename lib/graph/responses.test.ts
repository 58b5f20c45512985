import { describe, expect, it } from 'vitest';
import { request } from './fixtures/builders';
import { errorRps, isError, responseCodeOf } from './responses';

describe('responses', () => {
  const http = (responseCode: string) => ({ protocol: 'http' as const, responseCode, grpcStatus: '' });

  it('reads no response as `-` and gRPC statuses for gRPC', () => {
    expect(responseCodeOf(http('0'))).toBe('-');
    expect(responseCodeOf(http('503'))).toBe('503');
    expect(responseCodeOf({ protocol: 'grpc', responseCode: '200', grpcStatus: '14' })).toBe('14');
  });

  it('counts 5xx, no response and gRPC errors, not 4xx', () => {
    expect([http('200'), http('404'), http('503'), http('0')].map(isError)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(isError({ protocol: 'grpc', responseCode: '200', grpcStatus: '0' })).toBe(false);
    expect(isError({ protocol: 'grpc', responseCode: '200', grpcStatus: '2' })).toBe(true);
  });

  it('sums failing rates', () => {
    const sample = (code: string, rate: number) =>
      request({ from: 'default/a-v1', service: 'b', to: 'default/b-v1', code, rate });
    expect(errorRps([sample('200', 5), sample('500', 2), sample('0', 1), sample('404', 4)])).toBe(3);
  });
});
