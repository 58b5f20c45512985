/**
 * How a request sample's outcome reads: the code health tolerances match on (HTTP status, gRPC
 * status for gRPC, `-` when no response came back) and whether it counts as an error. As in
 * Kiali's error rate: 5xx, no response, and gRPC statuses other than OK are errors; 4xx are not
 * (they stay visible in the response codes and have their own health tolerance).
 */
import type { RequestSample } from '../types/telemetry';

export const noResponse = '-';

export function isNoResponse(sample: Pick<RequestSample, 'responseCode'>): boolean {
  return sample.responseCode === '0' || sample.responseCode === '' || sample.responseCode === noResponse;
}

/** The code a health tolerance matches: HTTP status, gRPC status for gRPC, `-` for no response. */
export function responseCodeOf(
  sample: Pick<RequestSample, 'protocol' | 'responseCode' | 'grpcStatus'>,
): string {
  if (isNoResponse(sample)) return noResponse;
  if (sample.protocol === 'grpc' && sample.grpcStatus !== '') return sample.grpcStatus;
  return sample.responseCode;
}

export function isError(sample: Pick<RequestSample, 'protocol' | 'responseCode' | 'grpcStatus'>): boolean {
  if (isNoResponse(sample) || sample.responseCode.startsWith('5')) return true;
  return sample.protocol === 'grpc' && sample.grpcStatus !== '' && sample.grpcStatus !== '0';
}

/** Requests per second that failed, of those given. */
export function errorRps(samples: readonly RequestSample[]): number {
  return samples.reduce((sum, sample) => sum + (isError(sample) ? sample.rate : 0), 0);
}

export function totalRps(samples: readonly { rate: number }[]): number {
  return samples.reduce((sum, sample) => sum + sample.rate, 0);
}
