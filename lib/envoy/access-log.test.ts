import { describe, expect, it } from 'vitest';
import {
  matchesFilter,
  parseAccessLog,
  parseAccessLogLine,
  parseJsonAccessLog,
  parseTextAccessLog,
  responseClass,
} from './access-log';

/** Istio 1.9+ default TEXT format, from Istio's "Envoy Access Logs" task (httpbin's 418). */
const istioText =
  '[2020-11-25T21:26:18.409Z] "GET /status/418 HTTP/1.1" 418 - via_upstream - "-" 0 135 4 4 "-" "curl/7.73.0-DEV" "84961386-6d84-929d-98bd-c5aee93b5c88" "httpbin:8000" "10.44.1.27:80" outbound|8000||httpbin.foo.svc.cluster.local 10.44.1.23:37652 10.0.45.184:8000 10.44.1.23:46520 - default';

/** A circuit breaker that tripped: Envoy answers 503 itself, no upstream host, details with braces. */
const overflow =
  '[2024-03-02T10:15:00.120Z] "GET /reviews/0 HTTP/1.1" 503 UO upstream_reset_before_response_started{overflow} - "-" 0 81 0 - "-" "Go-http-client/1.1" "5b4f2d4a-2f6b-9c9b-a1a5-0b7c1d2e3f40" "reviews:9080" "-" outbound|9080|v1|reviews.default.svc.cluster.local - 10.96.12.7:9080 10.244.0.12:51234 - default';

/** A TCP connection: no method, path or status. */
const tcp =
  '[2024-03-02T10:15:01.000Z] "- - -" 0 - - - "-" 1234 5678 100 - "-" "-" "-" "-" "10.244.0.30:3306" outbound|3306||mysql.db.svc.cluster.local 10.244.0.12:50000 10.96.0.10:3306 10.244.0.12:49998 - -';

/** Istio before 1.9: a quoted mixer status where the details are now, no termination details. */
const istio18 =
  '[2020-06-01T12:00:00.000Z] "POST /api/v1/orders HTTP/2" 500 URX "-" "-" 12 34 56 55 "10.0.0.1" "okhttp/4.9" "abc" "orders:8080" "10.1.1.1:8080" outbound|8080||orders.shop.svc.cluster.local 10.1.1.2:4000 10.96.1.1:8080 10.1.1.2:3999 - default';

/** The same request as TEXT above in Istio's JSON encoding (accessLogEncoding: JSON). */
const istioJson = JSON.stringify({
  authority: 'httpbin:8000',
  bytes_received: 0,
  bytes_sent: 135,
  connection_termination_details: null,
  downstream_local_address: '10.0.45.184:8000',
  downstream_remote_address: '10.44.1.23:46520',
  duration: 4,
  method: 'GET',
  path: '/status/418',
  protocol: 'HTTP/1.1',
  request_id: '84961386-6d84-929d-98bd-c5aee93b5c88',
  requested_server_name: null,
  response_code: 418,
  response_code_details: 'via_upstream',
  response_flags: '-',
  route_name: 'default',
  start_time: '2020-11-25T21:26:18.409Z',
  upstream_cluster: 'outbound|8000||httpbin.foo.svc.cluster.local',
  upstream_host: '10.44.1.27:80',
  upstream_local_address: '10.44.1.23:37652',
  upstream_service_time: '4',
  upstream_transport_failure_reason: null,
  user_agent: 'curl/7.73.0-DEV',
  x_forwarded_for: null,
});

/** What the simulator's sidecars write (fewer trailing addresses than Istio). */
const simulated =
  '[2026-11-22T01:00:00.000Z] "GET /reviews/0 HTTP/1.1" 500 - via_upstream "-" 0 295 23 23 "-" "meshscope-sim" "-" "reviews:9080" "10.1.0.5:9080" outbound|9080|v3|reviews.default.svc.cluster.local 10.1.0.4:0 - -';

describe('parseTextAccessLog', () => {
  it("reads Istio's default format field by field", () => {
    const entry = parseTextAccessLog(istioText);
    expect(entry).toMatchObject({
      time: '2020-11-25T21:26:18.409Z',
      method: 'GET',
      path: '/status/418',
      protocol: 'HTTP/1.1',
      responseCode: 418,
      responseFlags: '-',
      flags: [],
      details: 'via_upstream',
      bytesReceived: 0,
      bytesSent: 135,
      durationMs: 4,
      upstreamServiceTimeMs: 4,
      userAgent: 'curl/7.73.0-DEV',
      requestId: '84961386-6d84-929d-98bd-c5aee93b5c88',
      authority: 'httpbin:8000',
      upstreamHost: '10.44.1.27:80',
      upstreamCluster: 'outbound|8000||httpbin.foo.svc.cluster.local',
      downstreamRemoteAddress: '10.44.1.23:46520',
      routeName: 'default',
    });
  });

  it('decodes response flags into words and keeps a missing upstream time undefined', () => {
    const entry = parseTextAccessLog(overflow);
    expect(entry?.responseCode).toBe(503);
    expect(entry?.responseFlags).toBe('UO');
    expect(entry?.flags.map((flag) => flag.description)).toEqual([
      'upstream overflow (circuit breaker open)',
    ]);
    expect(entry?.details).toBe('upstream_reset_before_response_started{overflow}');
    expect(entry?.upstreamServiceTimeMs).toBeUndefined();
    expect(entry?.upstreamHost).toBe('-');
    expect(entry?.upstreamCluster).toBe('outbound|9080|v1|reviews.default.svc.cluster.local');
  });

  it('reads TCP connections and the pre-1.9 format', () => {
    expect(parseTextAccessLog(tcp)).toMatchObject({
      method: '-',
      responseCode: 0,
      bytesReceived: 1234,
      bytesSent: 5678,
      upstreamCluster: 'outbound|3306||mysql.db.svc.cluster.local',
    });
    expect(parseTextAccessLog(istio18)).toMatchObject({
      method: 'POST',
      responseCode: 500,
      responseFlags: 'URX',
      durationMs: 56,
      userAgent: 'okhttp/4.9',
      authority: 'orders:8080',
      upstreamCluster: 'outbound|8080||orders.shop.svc.cluster.local',
    });
  });

  it("reads the simulator's lines", () => {
    expect(parseTextAccessLog(simulated)).toMatchObject({
      responseCode: 500,
      authority: 'reviews:9080',
      upstreamCluster: 'outbound|9080|v3|reviews.default.svc.cluster.local',
      durationMs: 23,
    });
  });

  it('refuses lines that are not access logs', () => {
    expect(parseTextAccessLog('2024-05-01T10:00:00.123456Z\tinfo\tEnvoy proxy is ready')).toBeUndefined();
    expect(parseTextAccessLog('[not a time] "GET / HTTP/1.1" 200 -')).toBeUndefined();
    expect(parseTextAccessLog('')).toBeUndefined();
  });
});

describe('parseJsonAccessLog', () => {
  it('reads the JSON encoding into the same entry as the TEXT one', () => {
    const fromJson = parseJsonAccessLog(istioJson);
    const fromText = parseTextAccessLog(istioText);
    expect(fromJson).toEqual(fromText);
  });

  it('refuses JSON that is not an access-log entry', () => {
    expect(parseJsonAccessLog('{"level":"info","msg":"ready"}')).toBeUndefined();
    expect(parseJsonAccessLog('{broken')).toBeUndefined();
  });
});

describe('parseAccessLog', () => {
  it('keeps other lines as they are and strips the kubelet timestamp', () => {
    const text = [
      '2024-05-01T10:00:00.123456Z\tinfo\tEnvoy proxy is ready',
      `2024-05-01T10:00:01.000000000Z ${overflow}`,
      '',
      istioJson,
    ].join('\n');
    const lines = parseAccessLog(text);
    expect(lines.map((line) => line.kind)).toEqual(['other', 'access', 'access']);
    const second = lines[1];
    expect(second?.kind === 'access' && second.entry.responseFlags).toBe('UO');
    expect(parseAccessLogLine(tcp).kind).toBe('access');
  });
});

describe('filters', () => {
  const ok = parseTextAccessLog(istioText);
  const broken = parseTextAccessLog(overflow);
  const connection = parseTextAccessLog(tcp);

  it('classes codes', () => {
    expect([200, 418, 503, 0, 302].map(responseClass)).toEqual(['2xx', '4xx', '5xx', 'none', '3xx']);
  });

  it('narrows by class, flag and time', () => {
    if (!ok || !broken || !connection) throw new Error('fixtures must parse');
    expect(matchesFilter(broken, { classes: ['5xx'] })).toBe(true);
    expect(matchesFilter(ok, { classes: ['5xx'] })).toBe(false);
    expect(matchesFilter(ok, { classes: [] })).toBe(true);
    expect(matchesFilter(broken, { flag: 'UO' })).toBe(true);
    expect(matchesFilter(broken, { flag: 'UH' })).toBe(false);
    expect(matchesFilter(broken, { flag: 'any' })).toBe(true);
    expect(matchesFilter(ok, { flag: 'any' })).toBe(false);
    expect(matchesFilter(broken, { sinceMs: Date.parse('2024-03-02T10:15:00.000Z') })).toBe(true);
    expect(matchesFilter(ok, { sinceMs: Date.parse('2024-03-02T10:15:00.000Z') })).toBe(false);
    expect(matchesFilter(connection, { classes: ['none'] })).toBe(true);
  });
});
