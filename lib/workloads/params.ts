/**
 * Query parameters of the workload endpoints and pages, parsed once with schemas: the API routes
 * answer 400 naming each problem, the pages fall back to defaults.
 */
import { z } from 'zod';
import { parseDurationSeconds } from '../graph-params';
import type { ProxyConfigSection, TrafficDirection, TrafficKind } from '../types/workloads';

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const kubeName = z.string().max(253).regex(NAME, 'must be a Kubernetes name');

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`);
}

export type Parsed<T> = { ok: true; query: T } | { ok: false; problems: string[] };

function duration(min: number, max: number) {
  return z
    .string()
    .transform(parseDurationSeconds)
    .pipe(
      z
        .number({ error: 'must be a duration such as 60s, 5m or 1h' })
        .int()
        .min(min, `must be at least ${min}s`)
        .max(max, `must be at most ${max}s`),
    );
}

/** Windows the charts offer, in seconds. */
export const SERIES_DURATIONS = [
  { value: 300, label: 'Last 5 minutes' },
  { value: 600, label: 'Last 10 minutes' },
  { value: 1800, label: 'Last 30 minutes' },
  { value: 3600, label: 'Last hour' },
  { value: 21_600, label: 'Last 6 hours' },
] as const;

export const DEFAULT_SERIES_DURATION = 600;

const seriesSchema = z.object({
  namespace: kubeName,
  kind: z.enum(['workloads', 'services'], { error: 'must be workloads or services' }),
  name: kubeName,
  direction: z.enum(['inbound', 'outbound'], { error: 'must be inbound or outbound' }).default('inbound'),
  duration: duration(60, 7 * 86_400).default(DEFAULT_SERIES_DURATION),
  step: duration(1, 86_400).optional(),
});

export interface SeriesQuery {
  namespace: string;
  kind: TrafficKind;
  name: string;
  direction: TrafficDirection;
  durationSeconds: number;
  stepSeconds: number | undefined;
}

/** `GET /api/metrics/NS/workloads|services/NAME?direction=&duration=&step=` */
export function parseSeriesQuery(
  params: { namespace: string; kind: string; name: string },
  search: URLSearchParams,
): Parsed<SeriesQuery> {
  const result = seriesSchema.safeParse({
    ...params,
    direction: search.get('direction') ?? undefined,
    duration: search.get('duration') ?? undefined,
    step: search.get('step') ?? undefined,
  });
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  const { data } = result;
  const kind: TrafficKind = data.kind === 'services' ? 'service' : 'workload';
  if (kind === 'service' && data.direction === 'outbound')
    return { ok: false, problems: ['direction: a service has inbound traffic only'] };
  if (data.step !== undefined && data.step * 2000 < data.duration)
    return { ok: false, problems: ['step: at most 2,000 points per series'] };
  return {
    ok: true,
    query: {
      namespace: data.namespace,
      kind,
      name: data.name,
      direction: data.direction,
      durationSeconds: data.duration,
      stepSeconds: data.step,
    },
  };
}

const namespaceList = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(63).regex(NAME, 'must be a Kubernetes namespace name')).max(500));

/** `GET /api/workloads?namespaces=a,b&duration=60s` (every namespace when none named). */
export function parseWorkloadListQuery(
  search: URLSearchParams,
): Parsed<{ namespaces: string[]; durationSeconds: number }> {
  const result = z
    .object({ namespaces: namespaceList.default([]), duration: duration(10, 86_400).default(60) })
    .safeParse({
      namespaces: search.get('namespaces') ?? undefined,
      duration: search.get('duration') ?? undefined,
    });
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  return { ok: true, query: { namespaces: result.data.namespaces, durationSeconds: result.data.duration } };
}

export const PROXY_CONFIG_SECTIONS: readonly ProxyConfigSection[] = [
  'clusters',
  'listeners',
  'routes',
  'all',
];

/** `GET /api/pods/NS/NAME/proxy-config?section=clusters|listeners|routes|all&raw=true` */
export function parseProxyConfigQuery(
  params: { namespace: string; name: string },
  search: URLSearchParams,
): Parsed<{ namespace: string; pod: string; section: ProxyConfigSection; raw: boolean }> {
  const result = z
    .object({
      namespace: kubeName,
      name: kubeName,
      section: z.enum(['clusters', 'listeners', 'routes', 'all']).default('all'),
      raw: z.enum(['true', 'false']).default('false'),
    })
    .safeParse({
      ...params,
      section: search.get('section') ?? undefined,
      raw: search.get('raw') ?? undefined,
    });
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  const { data } = result;
  return {
    ok: true,
    query: { namespace: data.namespace, pod: data.name, section: data.section, raw: data.raw === 'true' },
  };
}

export const MAX_LOG_LINES = 5000;

/** `GET /api/pods/NS/NAME/logs?container=istio-proxy&tail=N&sinceSeconds=S&code=5xx&flag=UO` */
export function parseLogsQuery(
  params: { namespace: string; name: string },
  search: URLSearchParams,
): Parsed<{
  namespace: string;
  pod: string;
  container: string;
  tail: number;
  sinceSeconds: number | undefined;
  classes: ('1xx' | '2xx' | '3xx' | '4xx' | '5xx' | 'none')[];
  flag: string | undefined;
}> {
  const result = z
    .object({
      namespace: kubeName,
      name: kubeName,
      container: kubeName.default('istio-proxy'),
      tail: z.coerce.number().int().min(1).max(MAX_LOG_LINES).default(200),
      sinceSeconds: z.coerce
        .number()
        .int()
        .min(1)
        .max(7 * 86_400)
        .optional(),
      code: z
        .string()
        .transform((text) => text.split(',').filter(Boolean))
        .pipe(z.array(z.enum(['1xx', '2xx', '3xx', '4xx', '5xx', 'none'])))
        .default([]),
      flag: z
        .string()
        .regex(/^([A-Z]{1,8}|any)$/, 'must be an Envoy response flag such as UO, or any')
        .optional(),
    })
    .safeParse({
      ...params,
      container: search.get('container') ?? undefined,
      tail: search.get('tail') ?? undefined,
      sinceSeconds: search.get('sinceSeconds') ?? undefined,
      code: search.get('code') ?? undefined,
      flag: search.get('flag') ?? undefined,
    });
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  const { data } = result;
  return {
    ok: true,
    query: {
      namespace: data.namespace,
      pod: data.name,
      container: data.container,
      tail: data.tail,
      sinceSeconds: data.sinceSeconds,
      classes: data.code,
      flag: data.flag,
    },
  };
}
