/**
 * The editors' forms (text fields as typed) to and from the Istio sections they edit. Fields the
 * forms do not know are kept as read, so an edit never drops what someone else wrote.
 */
import type { Json } from '../validation/spec';
import type { BreakerSection, CircuitBreakerEdit } from './breaker-edit';
import type { RouteFault, RoutePolicy, RoutePolicyEdit, RouteRetries } from './route-policy';

export interface RouteForm {
  delayOn: boolean;
  delayPercent: string;
  fixedDelay: string;
  abortOn: boolean;
  abortPercent: string;
  httpStatus: string;
  timeout: string;
  retriesOn: boolean;
  attempts: string;
  perTryTimeout: string;
  retryOn: string;
}

export interface BreakerForm {
  maxConnections: string;
  http1MaxPendingRequests: string;
  http2MaxRequests: string;
  maxRequestsPerConnection: string;
  maxRetries: string;
  outlierOn: boolean;
  consecutive5xxErrors: string;
  consecutiveGatewayErrors: string;
  interval: string;
  baseEjectionTime: string;
  maxEjectionPercent: string;
  minHealthPercent: string;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Json) } : {};
}

/** Sets `key` from a typed number (blank: removed; unreadable: NaN, which the checks refuse). */
function setNumber(target: Json, key: string, typed: string): void {
  if (typed.trim() === '') delete target[key];
  else target[key] = Number(typed.trim());
}

function setText(target: Json, key: string, typed: string): void {
  if (typed.trim() === '') delete target[key];
  else target[key] = typed.trim();
}

export function routeForm(route: Pick<RoutePolicy, 'fault' | 'timeout' | 'retries'>): RouteForm {
  const delay = route.fault?.delay;
  const abort = route.fault?.abort;
  return {
    delayOn: delay !== undefined,
    delayPercent: text(delay?.percentage?.value ?? (delay ? 100 : '')),
    fixedDelay: text(delay?.fixedDelay),
    abortOn: abort !== undefined,
    abortPercent: text(abort?.percentage?.value ?? (abort ? 100 : '')),
    httpStatus: text(abort?.httpStatus ?? (abort ? '' : 503)),
    timeout: text(route.timeout),
    retriesOn: route.retries !== null,
    attempts: text(route.retries?.attempts),
    perTryTimeout: text(route.retries?.perTryTimeout),
    retryOn: text(route.retries?.retryOn),
  };
}

/** The edit of a route from its form: every section given, so removing one removes it. */
export function routeEdit(route: RoutePolicy, form: RouteForm): RoutePolicyEdit {
  let fault: RouteFault | null = null;
  if (form.delayOn || form.abortOn) {
    const next: Json = object(route.fault);
    if (form.delayOn) {
      const delay = object(route.fault?.delay);
      setText(delay, 'fixedDelay', form.fixedDelay);
      const percentage = object(delay.percentage);
      setNumber(percentage, 'value', form.delayPercent);
      if (Object.keys(percentage).length > 0) delay.percentage = percentage;
      else delete delay.percentage;
      next.delay = delay;
    } else delete next.delay;
    if (form.abortOn) {
      const abort = object(route.fault?.abort);
      setNumber(abort, 'httpStatus', form.httpStatus);
      const percentage = object(abort.percentage);
      setNumber(percentage, 'value', form.abortPercent);
      if (Object.keys(percentage).length > 0) abort.percentage = percentage;
      else delete abort.percentage;
      next.abort = abort;
    } else delete next.abort;
    fault = next as RouteFault;
  }
  let retries: RouteRetries | null = null;
  if (form.retriesOn) {
    const next = object(route.retries);
    setNumber(next, 'attempts', form.attempts);
    setText(next, 'perTryTimeout', form.perTryTimeout);
    setText(next, 'retryOn', form.retryOn);
    retries = next as RouteRetries;
  }
  return {
    index: route.index,
    fault,
    timeout: form.timeout.trim() === '' ? null : form.timeout.trim(),
    retries,
  };
}

export function breakerForm(
  section: Pick<BreakerSection, 'connectionPool' | 'outlierDetection'>,
): BreakerForm {
  const tcp = object(section.connectionPool?.tcp);
  const http = object(section.connectionPool?.http);
  const outlier = section.outlierDetection ?? {};
  return {
    maxConnections: text(tcp.maxConnections),
    http1MaxPendingRequests: text(http.http1MaxPendingRequests),
    http2MaxRequests: text(http.http2MaxRequests),
    maxRequestsPerConnection: text(http.maxRequestsPerConnection),
    maxRetries: text(http.maxRetries),
    outlierOn: section.outlierDetection !== null,
    consecutive5xxErrors: text(outlier.consecutive5xxErrors),
    consecutiveGatewayErrors: text(outlier.consecutiveGatewayErrors),
    interval: text(outlier.interval),
    baseEjectionTime: text(outlier.baseEjectionTime),
    maxEjectionPercent: text(outlier.maxEjectionPercent),
    minHealthPercent: text(outlier.minHealthPercent),
  };
}

/** The edit of one section from its form; an emptied pool is removed. */
export function breakerEdit(section: BreakerSection, form: BreakerForm): CircuitBreakerEdit {
  const pool = object(section.connectionPool);
  const tcp = object(pool.tcp);
  const http = object(pool.http);
  setNumber(tcp, 'maxConnections', form.maxConnections);
  setNumber(http, 'http1MaxPendingRequests', form.http1MaxPendingRequests);
  setNumber(http, 'http2MaxRequests', form.http2MaxRequests);
  setNumber(http, 'maxRequestsPerConnection', form.maxRequestsPerConnection);
  setNumber(http, 'maxRetries', form.maxRetries);
  if (Object.keys(tcp).length > 0) pool.tcp = tcp;
  else delete pool.tcp;
  if (Object.keys(http).length > 0) pool.http = http;
  else delete pool.http;
  let outlierDetection: Json | null = null;
  if (form.outlierOn) {
    outlierDetection = object(section.outlierDetection);
    setNumber(outlierDetection, 'consecutive5xxErrors', form.consecutive5xxErrors);
    setNumber(outlierDetection, 'consecutiveGatewayErrors', form.consecutiveGatewayErrors);
    setText(outlierDetection, 'interval', form.interval);
    setText(outlierDetection, 'baseEjectionTime', form.baseEjectionTime);
    setNumber(outlierDetection, 'maxEjectionPercent', form.maxEjectionPercent);
    setNumber(outlierDetection, 'minHealthPercent', form.minHealthPercent);
  }
  return {
    subset: section.subset,
    connectionPool: Object.keys(pool).length > 0 ? pool : null,
    outlierDetection,
  };
}
