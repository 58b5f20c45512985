/**
 * The graph's parameters, one schema for both sides: `GET /api/graph`'s query (strict: a bad value
 * is a 400) and the graph page's URL state (lenient: a bad value falls back to its default, so an
 * old bookmark still opens). The URL is the page's state (STYLE.md): namespaces, graph type,
 * window, refresh, edge labels, auto-fit, find/hide, selection and view all live in it.
 */
import { z } from 'zod';
import type { GraphType } from './types/graph';

export const GRAPH_TYPES = [
  'versionedApp',
  'app',
  'workload',
  'service',
] as const satisfies readonly GraphType[];

export const GRAPH_TYPE_LABELS: Record<GraphType, string> = {
  versionedApp: 'Versioned app',
  app: 'App',
  workload: 'Workload',
  service: 'Service',
};

export const DEFAULT_GRAPH_TYPE: GraphType = 'versionedApp';

/** Rate windows the page offers, in seconds. */
export const DURATION_OPTIONS = [
  { seconds: 60, label: '1m' },
  { seconds: 300, label: '5m' },
  { seconds: 600, label: '10m' },
  { seconds: 1800, label: '30m' },
  { seconds: 3600, label: '1h' },
] as const;
export const DEFAULT_DURATION_SECONDS = 60;
/** Bounds of the API's rate window, in seconds: one scrape interval up to a day. */
export const MIN_DURATION_SECONDS = 10;
export const MAX_DURATION_SECONDS = 86_400;

/** Refresh intervals the page offers; `pause` stops polling. */
export const REFRESH_OPTIONS = [
  { value: '10s', label: '10s', ms: 10_000 },
  { value: '15s', label: '15s', ms: 15_000 },
  { value: '30s', label: '30s', ms: 30_000 },
  { value: '1m', label: '1m', ms: 60_000 },
  { value: 'pause', label: 'Pause', ms: 0 },
] as const;
export type RefreshSetting = (typeof REFRESH_OPTIONS)[number]['value'];
export const DEFAULT_REFRESH: RefreshSetting = '15s';

export const EDGE_LABEL_OPTIONS = [
  { value: 'rps', label: 'Request rate' },
  { value: 'percent', label: 'Request percentage' },
  { value: 'rt', label: 'Response time (p95)' },
  { value: 'throughput', label: 'Throughput' },
  { value: 'none', label: 'None' },
] as const;
export type EdgeLabelMode = (typeof EDGE_LABEL_OPTIONS)[number]['value'];
export const DEFAULT_EDGE_LABELS: EdgeLabelMode = 'rps';

export const GRAPH_VIEWS = ['graph', 'table'] as const;
export type GraphView = (typeof GRAPH_VIEWS)[number];

/** A Kubernetes namespace name (an RFC 1123 label). */
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_NAMESPACES = 500;

/** `60s`, `5m`, `1h`, `1d` or bare seconds, as seconds; NaN when unreadable. */
export function parseDurationSeconds(text: string): number {
  const match = /^(\d+)(s|m|h|d)?$/.exec(text.trim());
  if (!match) return Number.NaN;
  const factor = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] ?? 's'] ?? 1;
  return Number(match[1]) * factor;
}

/** Seconds in the form the URL and API use (`60s`). */
export function formatDurationParam(seconds: number): string {
  return `${seconds}s`;
}

function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    ),
  ];
}

const namespaceList = z
  .string()
  .transform(splitList)
  .pipe(
    z
      .array(z.string().max(63).regex(NAMESPACE_NAME, 'must be a Kubernetes namespace name'))
      .max(MAX_NAMESPACES, `at most ${MAX_NAMESPACES} namespaces`),
  );

const durationParam = z
  .string()
  .transform(parseDurationSeconds)
  .pipe(
    z
      .number({ error: 'must be a duration such as 60s, 5m or 1h' })
      .int()
      .min(MIN_DURATION_SECONDS, `must be at least ${MIN_DURATION_SECONDS}s`)
      .max(MAX_DURATION_SECONDS, `must be at most ${MAX_DURATION_SECONDS}s`),
  );

const graphTypeParam = z.enum(GRAPH_TYPES, { error: `must be one of ${GRAPH_TYPES.join(', ')}` });

/** `GET /api/graph` query parameters. */
export const graphQuerySchema = z.object({
  namespaces: namespaceList.pipe(z.array(z.string()).min(1, 'name at least one namespace')),
  graphType: graphTypeParam.default(DEFAULT_GRAPH_TYPE),
  duration: durationParam.default(DEFAULT_DURATION_SECONDS),
  idle: z.stringbool({ error: 'must be true or false' }).default(false),
});

export type GraphQuery = z.infer<typeof graphQuerySchema>;

export type GraphQueryResult = { ok: true; query: GraphQuery } | { ok: false; problems: string[] };

/** Reads the API's query; problems are worded for the 400 answer (`duration: must be ...`). */
export function parseGraphQuery(params: URLSearchParams): GraphQueryResult {
  const raw = {
    namespaces: params.get('namespaces') ?? '',
    graphType: params.get('graphType') ?? undefined,
    duration: params.get('duration') ?? undefined,
    idle: params.get('idle') ?? undefined,
  };
  const result = graphQuerySchema.safeParse(raw);
  if (result.success) return { ok: true, query: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`),
  };
}

/** The API query string for a graph query (what the page fetches). */
export function graphQueryString(query: GraphQuery): string {
  const params = new URLSearchParams({
    namespaces: query.namespaces.join(','),
    graphType: query.graphType,
    duration: formatDurationParam(query.duration),
    idle: String(query.idle),
  });
  return params.toString();
}

const REFRESH_VALUES = REFRESH_OPTIONS.map((option) => option.value) as [RefreshSetting, ...RefreshSetting[]];
const EDGE_LABEL_VALUES = EDGE_LABEL_OPTIONS.map((option) => option.value) as [
  EdgeLabelMode,
  ...EdgeLabelMode[],
];
const PAGE_DURATIONS: readonly number[] = DURATION_OPTIONS.map((option) => option.seconds);

/** The graph page's URL. Every field falls back to its default when absent or unreadable. */
export const graphPageStateSchema = z.object({
  /** unreadable names are dropped, the rest kept */
  namespaces: z
    .string()
    .transform((text) => splitList(text).filter((name) => name.length <= 63 && NAMESPACE_NAME.test(name)))
    .catch([]),
  graphType: graphTypeParam.catch(DEFAULT_GRAPH_TYPE),
  duration: durationParam
    .refine((seconds) => PAGE_DURATIONS.includes(seconds))
    .catch(DEFAULT_DURATION_SECONDS),
  idle: z.stringbool().catch(false),
  refresh: z.enum(REFRESH_VALUES).catch(DEFAULT_REFRESH),
  edgeLabels: z.enum(EDGE_LABEL_VALUES).catch(DEFAULT_EDGE_LABELS),
  autoFit: z.stringbool().catch(true),
  find: z.string().max(1000).catch(''),
  hide: z.string().max(1000).catch(''),
  /** id of the selected node or edge, empty for none */
  selected: z.string().max(1000).catch(''),
  view: z.enum(GRAPH_VIEWS).catch('graph'),
});

export type GraphPageState = z.infer<typeof graphPageStateSchema>;

export const DEFAULT_GRAPH_PAGE_STATE: GraphPageState = graphPageStateSchema.parse({});

/** Anything with `get`: URLSearchParams, Next's ReadonlyURLSearchParams. */
export interface SearchParamsLike {
  get(name: string): string | null;
}

/** Parses the page's URL once; never throws. */
export function parseGraphPageState(params: SearchParamsLike): GraphPageState {
  const keys = Object.keys(graphPageStateSchema.shape) as (keyof GraphPageState)[];
  const raw = Object.fromEntries(keys.map((key) => [key, params.get(key) ?? undefined]));
  return graphPageStateSchema.parse(raw);
}

/**
 * The page's URL query for a state: namespaces and graph type always (a bookmark says what it
 * shows), everything else only when it differs from its default, so URLs stay short.
 */
export function graphPageSearch(state: GraphPageState): string {
  const params = new URLSearchParams();
  params.set('namespaces', state.namespaces.join(','));
  params.set('graphType', state.graphType);
  const defaults = DEFAULT_GRAPH_PAGE_STATE;
  if (state.duration !== defaults.duration) params.set('duration', formatDurationParam(state.duration));
  if (state.idle !== defaults.idle) params.set('idle', String(state.idle));
  if (state.refresh !== defaults.refresh) params.set('refresh', state.refresh);
  if (state.edgeLabels !== defaults.edgeLabels) params.set('edgeLabels', state.edgeLabels);
  if (state.autoFit !== defaults.autoFit) params.set('autoFit', String(state.autoFit));
  if (state.find !== '') params.set('find', state.find);
  if (state.hide !== '') params.set('hide', state.hide);
  if (state.selected !== '') params.set('selected', state.selected);
  if (state.view !== defaults.view) params.set('view', state.view);
  return params.toString().replaceAll('%2C', ',');
}

/** The API query for what the page shows. */
export function graphQueryOf(state: GraphPageState): GraphQuery {
  return {
    namespaces: state.namespaces,
    graphType: state.graphType,
    duration: state.duration,
    idle: state.idle,
  };
}

/** Polling interval in milliseconds for a refresh setting; `false` when paused. */
export function refreshIntervalMs(setting: RefreshSetting): number | false {
  const option = REFRESH_OPTIONS.find((candidate) => candidate.value === setting);
  return option === undefined || option.ms === 0 ? false : option.ms;
}
