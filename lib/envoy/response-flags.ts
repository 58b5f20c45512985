/**
 * Envoy's response flags (`%RESPONSE_FLAGS%`, Istio's `response_flags` label) in words. A flag
 * says why Envoy itself answered or cut a request short: `UO` is a circuit breaker that tripped,
 * `UH` an upstream cluster with every host ejected. Names and meanings follow Envoy's
 * `StreamInfo::ResponseFlagUtils` and its access-log documentation.
 */

export type ResponseFlagCategory =
  | 'upstream'
  | 'downstream'
  | 'routing'
  | 'fault-injection'
  | 'policy'
  | 'local';

export interface ResponseFlagInfo {
  /** the short form Envoy logs, e.g. `UO` */
  code: string;
  /** Envoy's long name, e.g. `UpstreamOverflow` */
  name: string;
  /** what happened, in words a platform engineer would use */
  description: string;
  category: ResponseFlagCategory;
}

const FLAGS: readonly ResponseFlagInfo[] = [
  {
    code: 'UO',
    name: 'UpstreamOverflow',
    description: 'upstream overflow (circuit breaker open)',
    category: 'upstream',
  },
  {
    code: 'UH',
    name: 'NoHealthyUpstream',
    description: 'no healthy upstream (every host ejected or failing health checks)',
    category: 'upstream',
  },
  {
    code: 'URX',
    name: 'UpstreamRetryLimitExceeded',
    description: 'upstream retry limit exceeded',
    category: 'upstream',
  },
  {
    code: 'UF',
    name: 'UpstreamConnectionFailure',
    description: 'upstream connection failure',
    category: 'upstream',
  },
  {
    code: 'UC',
    name: 'UpstreamConnectionTermination',
    description: 'upstream connection terminated',
    category: 'upstream',
  },
  { code: 'UR', name: 'UpstreamRemoteReset', description: 'upstream remote reset', category: 'upstream' },
  {
    code: 'UT',
    name: 'UpstreamRequestTimeout',
    description: 'upstream request timeout',
    category: 'upstream',
  },
  {
    code: 'UPE',
    name: 'UpstreamProtocolError',
    description: 'upstream protocol error',
    category: 'upstream',
  },
  {
    code: 'UMSDR',
    name: 'UpstreamMaxStreamDurationReached',
    description: 'upstream max stream duration reached',
    category: 'upstream',
  },
  {
    code: 'NR',
    name: 'NoRouteFound',
    description: 'no route configured for the request',
    category: 'routing',
  },
  { code: 'NC', name: 'NoClusterFound', description: 'upstream cluster not found', category: 'routing' },
  {
    code: 'NFCF',
    name: 'NoFilterConfigFound',
    description: 'no filter configuration found',
    category: 'routing',
  },
  { code: 'DF', name: 'DnsResolutionFailed', description: 'DNS resolution failed', category: 'routing' },
  {
    code: 'FI',
    name: 'FaultInjected',
    description: 'aborted by fault injection',
    category: 'fault-injection',
  },
  {
    code: 'DI',
    name: 'DelayInjected',
    description: 'delayed by fault injection',
    category: 'fault-injection',
  },
  { code: 'RL', name: 'RateLimited', description: 'rate limited locally', category: 'policy' },
  {
    code: 'RLSE',
    name: 'RateLimitServiceError',
    description: 'rate limit service error',
    category: 'policy',
  },
  {
    code: 'UAEX',
    name: 'UnauthorizedExternalService',
    description: 'denied by the external authorization service',
    category: 'policy',
  },
  {
    code: 'OM',
    name: 'OverloadManagerTerminated',
    description: 'terminated by the overload manager',
    category: 'local',
  },
  { code: 'DO', name: 'DropOverload', description: 'dropped by overload protection', category: 'local' },
  {
    code: 'LH',
    name: 'FailedLocalHealthCheck',
    description: 'local service failed its health check',
    category: 'local',
  },
  { code: 'LR', name: 'LocalReset', description: 'connection reset locally', category: 'local' },
  {
    code: 'DT',
    name: 'DurationTimeout',
    description: 'request or connection exceeded its max duration',
    category: 'local',
  },
  {
    code: 'RFCF',
    name: 'ResponseFromCacheFilter',
    description: 'response served from the cache filter',
    category: 'local',
  },
  { code: 'SI', name: 'StreamIdleTimeout', description: 'stream idle timeout', category: 'downstream' },
  {
    code: 'DC',
    name: 'DownstreamConnectionTermination',
    description: 'downstream connection terminated',
    category: 'downstream',
  },
  {
    code: 'DR',
    name: 'DownstreamRemoteReset',
    description: 'downstream remote reset',
    category: 'downstream',
  },
  {
    code: 'DPE',
    name: 'DownstreamProtocolError',
    description: 'downstream protocol error',
    category: 'downstream',
  },
  {
    code: 'IH',
    name: 'InvalidEnvoyRequestHeaders',
    description: 'invalid value in a strictly checked request header',
    category: 'downstream',
  },
];

const BY_CODE: ReadonlyMap<string, ResponseFlagInfo> = new Map(FLAGS.map((flag) => [flag.code, flag]));

/** Every flag Envoy defines, in the order a reader looks for them (circuit breaking first). */
export const RESPONSE_FLAGS: readonly ResponseFlagInfo[] = FLAGS;

/** One flag in words; an unknown code (a custom flag, a newer Envoy) is kept and said to be unknown. */
export function describeResponseFlag(code: string): ResponseFlagInfo {
  return (
    BY_CODE.get(code) ?? {
      code,
      name: code,
      description: `unknown response flag "${code}"`,
      category: 'local',
    }
  );
}

/**
 * Splits a label value as Istio reports it (`UH,URX`; `-` for none; Envoy once used `|`) into its
 * flags, decoded. `-` and empty give no flags.
 */
export function decodeResponseFlags(value: string): ResponseFlagInfo[] {
  return value
    .split(/[,|]/)
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== '-')
    .map(describeResponseFlag);
}

/** Whether a flag set says a circuit breaker tripped or a pool was ejected (`UO`, `UH`). */
export function signalsCircuitBreaking(value: string): boolean {
  return decodeResponseFlags(value).some((flag) => flag.code === 'UO' || flag.code === 'UH');
}
