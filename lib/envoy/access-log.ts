/**
 * Envoy access-log lines of an Istio sidecar (`kubectl logs POD -c istio-proxy`) read into
 * entries. Two encodings exist (MeshConfig `accessLogEncoding`):
 *
 * - TEXT, Istio's default format (since 1.9):
 *   `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 *   %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 *   "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 *   %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 *   "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
 *   %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
 *   %REQUESTED_SERVER_NAME% %ROUTE_NAME%`
 *   Older releases had no termination details and a quoted mixer status instead; trailing fields
 *   may be missing. The reader goes by shape (bracket, quoted, bare) rather than fixed positions.
 * - JSON: one object per line with Istio's keys (`start_time`, `method`, `path`, `response_code`,
 *   `response_flags`, `upstream_cluster`, ...).
 *
 * Other lines of the istio-proxy container (pilot-agent's and Envoy's own logs) are kept as
 * unparsed lines, so nothing the user would see in `kubectl logs` is lost.
 */
import { decodeResponseFlags, type ResponseFlagInfo } from './response-flags';

export interface AccessLogEntry {
  /** ISO time the request started */
  time: string;
  /** HTTP method, `-` for a TCP connection */
  method: string;
  path: string;
  protocol: string;
  /** HTTP status, 0 when there was no response (and for TCP) */
  responseCode: number;
  /** `-` when none, else e.g. `UO` or `UH,URX` */
  responseFlags: string;
  /** the flags in words */
  flags: ResponseFlagInfo[];
  /** `%RESPONSE_CODE_DETAILS%`: `via_upstream`, `fault_filter_abort`, ... */
  details: string;
  bytesReceived: number;
  bytesSent: number;
  /** total time in milliseconds */
  durationMs: number;
  /** time the upstream took (`x-envoy-upstream-service-time`), milliseconds; undefined when `-` */
  upstreamServiceTimeMs: number | undefined;
  userAgent: string;
  requestId: string;
  authority: string;
  upstreamHost: string;
  upstreamCluster: string;
  downstreamRemoteAddress: string;
  routeName: string;
}

export type AccessLogLine =
  | { kind: 'access'; entry: AccessLogEntry; raw: string }
  | { kind: 'other'; raw: string };

export type ResponseClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none';

type Token = { text: string; quoted: boolean; bracket: boolean };

/** Splits a TEXT line into `[bracketed]`, `"quoted"` and bare tokens. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < line.length) {
    const char = line[index];
    if (char === ' ' || char === '\t') {
      index += 1;
      continue;
    }
    if (char === '[' || char === '"') {
      const close = char === '[' ? ']' : '"';
      let end = index + 1;
      while (end < line.length && line[end] !== close) end += line[end] === '\\' ? 2 : 1;
      tokens.push({ text: line.slice(index + 1, end), quoted: char === '"', bracket: char === '[' });
      index = end + 1;
      continue;
    }
    let end = index;
    while (end < line.length && line[end] !== ' ' && line[end] !== '\t') end += 1;
    tokens.push({ text: line.slice(index, end), quoted: false, bracket: false });
    index = end;
  }
  return tokens;
}

function numberOr(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '-' || text === '') return fallback;
  const value = Number(text);
  return Number.isFinite(value) ? value : fallback;
}

function dash(text: string | undefined): string {
  return text === undefined || text === '' ? '-' : text;
}

function entryOf(fields: Omit<AccessLogEntry, 'flags'>): AccessLogEntry {
  return { ...fields, flags: decodeResponseFlags(fields.responseFlags) };
}

/** One TEXT line in Istio's default format, or undefined when it is not one. */
export function parseTextAccessLog(line: string): AccessLogEntry | undefined {
  const tokens = tokenize(line.trim());
  const [time, request, status, flags] = tokens;
  if (!time?.bracket || !request?.quoted || !status || !flags) return undefined;
  if (Number.isNaN(Date.parse(time.text))) return undefined;
  if (!/^\d+$/.test(status.text)) return undefined;
  const [method = '-', path = '-', protocol = '-'] = request.text.split(' ');
  let at = 4;
  // Response code details and connection termination details: bare tokens before the first quoted one.
  const details: string[] = [];
  while (at < tokens.length && !tokens[at]?.quoted) {
    details.push(tokens[at]?.text ?? '');
    at += 1;
  }
  // Quoted fields before the byte counts (transport failure reason; a mixer status in old formats).
  while (at < tokens.length && tokens[at]?.quoted) at += 1;
  const numbers = tokens.slice(at, at + 4).map((token) => token.text);
  at += 4;
  const quoted: string[] = [];
  while (at < tokens.length && tokens[at]?.quoted) {
    quoted.push(tokens[at]?.text ?? '');
    at += 1;
  }
  const rest = tokens.slice(at).map((token) => token.text);
  const [, userAgent, requestId, authority, upstreamHost] = quoted;
  const [upstreamCluster, , , downstreamRemoteAddress, , routeName] = rest;
  const upstreamTime = numberOr(numbers[3], Number.NaN);
  return entryOf({
    time: new Date(time.text).toISOString(),
    method,
    path,
    protocol,
    responseCode: Number(status.text),
    responseFlags: dash(flags.text),
    details: dash(details[0]),
    bytesReceived: numberOr(numbers[0], 0),
    bytesSent: numberOr(numbers[1], 0),
    durationMs: numberOr(numbers[2], 0),
    upstreamServiceTimeMs: Number.isNaN(upstreamTime) ? undefined : upstreamTime,
    userAgent: dash(userAgent),
    requestId: dash(requestId),
    authority: dash(authority),
    upstreamHost: dash(upstreamHost),
    upstreamCluster: dash(upstreamCluster),
    downstreamRemoteAddress: dash(downstreamRemoteAddress),
    routeName: dash(routeName),
  });
}

function field(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (value === null || value === undefined) return '-';
  return typeof value === 'string' ? value : String(value);
}

/** One JSON line with Istio's access-log keys, or undefined when it is not one. */
export function parseJsonAccessLog(line: string): AccessLogEntry | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  if (!('start_time' in record) || !('response_code' in record)) return undefined;
  const start = Date.parse(field(record, 'start_time'));
  if (Number.isNaN(start)) return undefined;
  const upstreamTime = numberOr(field(record, 'upstream_service_time'), Number.NaN);
  return entryOf({
    time: new Date(start).toISOString(),
    method: field(record, 'method'),
    path: field(record, 'path'),
    protocol: field(record, 'protocol'),
    responseCode: numberOr(field(record, 'response_code'), 0),
    responseFlags: dash(field(record, 'response_flags')),
    details: field(record, 'response_code_details'),
    bytesReceived: numberOr(field(record, 'bytes_received'), 0),
    bytesSent: numberOr(field(record, 'bytes_sent'), 0),
    durationMs: numberOr(field(record, 'duration'), 0),
    upstreamServiceTimeMs: Number.isNaN(upstreamTime) ? undefined : upstreamTime,
    userAgent: field(record, 'user_agent'),
    requestId: field(record, 'request_id'),
    authority: field(record, 'authority'),
    upstreamHost: field(record, 'upstream_host'),
    upstreamCluster: field(record, 'upstream_cluster'),
    downstreamRemoteAddress: field(record, 'downstream_remote_address'),
    routeName: field(record, 'route_name'),
  });
}

/**
 * A line as `kubectl logs` gives it, optionally prefixed with the RFC 3339 time the kubelet adds
 * with `timestamps=true`.
 */
export function parseAccessLogLine(line: string): AccessLogLine {
  const withoutKubeletTime = line.replace(/^\d{4}-\d\d-\d\dT\S+Z (?=[[{])/, '');
  const entry = parseJsonAccessLog(withoutKubeletTime) ?? parseTextAccessLog(withoutKubeletTime);
  return entry ? { kind: 'access', entry, raw: line } : { kind: 'other', raw: line };
}

/** Every non-empty line of a log text. */
export function parseAccessLog(text: string): AccessLogLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseAccessLogLine);
}

export function responseClass(code: number): ResponseClass {
  if (code >= 100 && code < 600) return `${Math.floor(code / 100)}xx` as ResponseClass;
  return 'none';
}

export interface AccessLogFilter {
  /** keep these response classes (all when empty) */
  classes?: readonly ResponseClass[];
  /** keep entries carrying this flag (`UO`); `any` keeps entries with any flag */
  flag?: string;
  /** keep entries that started at or after this time, ms since the epoch */
  sinceMs?: number;
}

/** Whether an entry passes the filter. */
export function matchesFilter(entry: AccessLogEntry, filter: AccessLogFilter): boolean {
  if (
    filter.classes &&
    filter.classes.length > 0 &&
    !filter.classes.includes(responseClass(entry.responseCode))
  )
    return false;
  if (filter.flag) {
    if (filter.flag === 'any') {
      if (entry.flags.length === 0) return false;
    } else if (!entry.flags.some((flag) => flag.code === filter.flag)) return false;
  }
  if (filter.sinceMs !== undefined && Date.parse(entry.time) < filter.sinceMs) return false;
  return true;
}
