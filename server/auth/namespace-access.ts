import 'server-only';
/**
 * Telemetry (Prometheus, or the dashboard's own sidecar scrapes) is not authorized by the
 * Kubernetes API server, so in token and header modes (DESIGN.md §3: every read uses the caller's
 * credentials) its answers are kept to the namespaces the caller may `list pods` in: a
 * SelfSubjectAccessReview per namespace, made with the caller's own cluster identity and cached
 * per identity for 30 s. The requested namespaces are narrowed before the query and the result
 * filtered again (traffic reaches neighbouring namespaces): see lib/telemetry/namespace-filter.ts
 * for what happens to samples that touch a hidden namespace. Local mode is unchanged.
 */
import {
  filterSnapshotNamespaces,
  isNamedNamespace,
  snapshotNamespaces,
} from '@/lib/telemetry/namespace-filter';
import type { TelemetryQuery, TelemetrySnapshot, TelemetryWarning } from '@/lib/types/telemetry';
import { getCluster } from '../kube/cluster';
import { logger } from '../logger';
import type { TelemetrySource } from '../telemetry/source';
import { canI } from '../writes/access-review';
import { currentCaller } from './caller';

const cacheMs = 30_000;
const maxEntries = 5_000;
const cache = new Map<string, { allowed: Promise<boolean>; expires: number }>();

/** The caller whose telemetry must be restricted, or undefined (local mode, the dashboard itself). */
function restrictedIdentity(): string | undefined {
  const caller = currentCaller();
  if (caller === undefined || caller === 'dashboard' || caller.mode === 'local') return undefined;
  return caller.identityKey;
}

/** The review's answer; undefined when it could not be asked (not cached, and treated as no). */
async function review(namespace: string): Promise<boolean | undefined> {
  try {
    const answer = await canI(getCluster(), { verb: 'list', group: '', resource: 'pods', namespace });
    return answer.allowed;
  } catch (error) {
    logger.warn({ err: error, namespace }, 'namespace access review failed; its telemetry is left out');
    return undefined;
  }
}

function mayListPods(identity: string, namespace: string): Promise<boolean> {
  const key = `${identity}\u0000${namespace}`;
  const now = Date.now();
  const cached = cache.get(key);
  if (cached && cached.expires > now) return cached.allowed;
  if (cache.size >= maxEntries) {
    for (const [entry, value] of cache) if (value.expires <= now) cache.delete(entry);
    if (cache.size >= maxEntries) cache.clear();
  }
  const allowed = review(namespace).then((answer) => {
    // Fail closed, but do not remember a failure: the next request asks again.
    if (answer === undefined && cache.get(key)?.allowed === allowed) cache.delete(key);
    return answer === true;
  });
  cache.set(key, { allowed, expires: now + cacheMs });
  return allowed;
}

/**
 * The namespaces among `namespaces` whose telemetry the caller may see: all of them in local mode,
 * those the caller may `list pods` in in token and header modes. Unnamed ones (`''`, `unknown`) pass.
 */
export async function visibleNamespaces(namespaces: Iterable<string>): Promise<Set<string>> {
  const wanted = [...new Set(namespaces)];
  const identity = restrictedIdentity();
  if (identity === undefined) return new Set(wanted);
  const answers = await Promise.all(
    wanted.map(
      async (namespace) =>
        [namespace, !isNamedNamespace(namespace) || (await mayListPods(identity, namespace))] as const,
    ),
  );
  return new Set(answers.filter(([, allowed]) => allowed).map(([namespace]) => namespace));
}

/** Whether the caller may see the telemetry of one namespace (always in local mode). */
export async function mayReadTelemetry(namespace: string): Promise<boolean> {
  return (await visibleNamespaces([namespace])).has(namespace);
}

/** The warning naming how many namespaces were left out, or none. */
export function leftOutWarning(count: number): TelemetryWarning[] {
  if (count === 0) return [];
  return [
    {
      source: 'telemetry',
      message: `Traffic of ${count} namespace${count === 1 ? '' : 's'} is left out: you may not list pods there. Calls from such namespaces show as unknown.`,
    },
  ];
}

/** `source.snapshot`, kept to the namespaces the caller may see (unchanged in local mode). */
async function restrictedSnapshot(
  source: TelemetrySource,
  query: TelemetryQuery,
): Promise<TelemetrySnapshot> {
  if (restrictedIdentity() === undefined) return source.snapshot(query);
  const allowed = await visibleNamespaces(query.namespaces);
  const refused = new Set(query.namespaces.filter((namespace) => !allowed.has(namespace)));
  const namespaces = query.namespaces.filter((namespace) => allowed.has(namespace));
  if (namespaces.length === 0) {
    // Never ask with an empty list: a source may read that as every namespace.
    return {
      source: source.name,
      timestamp: new Date().toISOString(),
      windowSeconds: query.windowSeconds,
      requests: [],
      durations: [],
      throughput: [],
      warnings: leftOutWarning(refused.size),
    };
  }
  const snapshot = await source.snapshot({ ...query, namespaces });
  const visible = await visibleNamespaces(snapshotNamespaces(snapshot));
  const filtered = filterSnapshotNamespaces(snapshot, (namespace) => visible.has(namespace));
  for (const namespace of filtered.hidden) refused.add(namespace);
  return {
    ...filtered.snapshot,
    warnings: [...filtered.snapshot.warnings, ...leftOutWarning(refused.size)],
  };
}

/**
 * The source as the caller may use it: `snapshot` restricted, everything else (and `instanceof`,
 * which the series code relies on) the source's own.
 */
export function restrictToCallerNamespaces(source: TelemetrySource): TelemetrySource {
  return new Proxy(source, {
    get(target, property) {
      if (property === 'snapshot') return (query: TelemetryQuery) => restrictedSnapshot(target, query);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
