/**
 * Watch streams with kube-apiserver's behaviour: headers flushed at once, one compact JSON event
 * per line, replay from the change log on `resourceVersion=N`, an in-stream 410 ERROR when N is too
 * old, ADDED/DELETED on selector transitions, bookmarks, and a clean end on `timeoutSeconds`.
 */
import type { ServerResponse } from 'node:http';
import type { SimulatedCluster } from '../cluster/cluster';
import type { ResourceType } from '../cluster/resource-type';
import { resourceKey } from '../cluster/resource-type';
import type { StoredChange } from '../cluster/store';
import type { KubeObject } from '../cluster/types';

export interface WatchRequest {
  type: ResourceType;
  version: string;
  namespace: string | undefined;
  resourceVersion: string | undefined;
  matches: (object: KubeObject) => boolean;
  timeoutSeconds: number | undefined;
  allowBookmarks: boolean;
  /** renders an event's object, e.g. as a one-row Table for `kubectl get -w` */
  render: (object: KubeObject) => unknown;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Bookmarks keep idle watches alive and let clients advance their resourceVersion. */
const bookmarkIntervalMs = 15_000;

/** Open watches, so faults can end or cut them all. */
export class WatchRegistry {
  private readonly open = new Set<ServerResponse>();

  add(response: ServerResponse): void {
    this.open.add(response);
    response.on('close', () => this.open.delete(response));
  }

  get count(): number {
    return this.open.size;
  }

  /** End every watch cleanly, as a server shutting a watch down does (clients re-watch). */
  endAll(): void {
    for (const response of this.open) response.end();
  }

  /** Cut every watch mid-stream (a network fault: client-node's informer reports an error). */
  resetAll(): void {
    for (const response of this.open) response.socket?.destroy();
  }
}

export function serveWatch(
  cluster: SimulatedCluster,
  watches: WatchRegistry,
  request: WatchRequest,
  response: ServerResponse,
): void {
  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  response.flushHeaders();
  watches.add(response);
  const store = cluster.store;
  const key = resourceKey(request.type.group, request.type.plural);
  const write = (type: EventType | 'BOOKMARK' | 'ERROR', object: unknown) => {
    // An ended watch keeps its subscription until 'close'; events in between go nowhere.
    if (response.writableEnded || response.destroyed) return;
    response.write(`${JSON.stringify({ type, object })}\n`);
  };
  const present = (object: KubeObject) =>
    request.render(cluster.operations.present(request.type, request.version, object));
  const inScope = (object: KubeObject) =>
    request.namespace === undefined || object.metadata.namespace === request.namespace;

  const emit = (change: StoredChange) => {
    if (change.resource !== key) return;
    const event = eventFor(change, (object) => inScope(object) && request.matches(object));
    if (event) write(event.type, present(event.object));
  };

  const rv = request.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    for (const object of store.list(key, request.namespace))
      if (request.matches(object)) write('ADDED', present(object));
  } else {
    const since = Number(rv);
    const changes = Number.isFinite(since) ? store.changesSince(since) : undefined;
    if (!changes) {
      write('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${rv} (${store.oldestResourceVersion})`,
        reason: 'Expired',
        code: 410,
      });
      response.end();
      return;
    }
    for (const change of changes) emit(change);
  }

  const unsubscribe = store.subscribe(emit);
  const timers: NodeJS.Timeout[] = [];
  const timeoutMs = (request.timeoutSeconds ?? 1800 + Math.floor(Math.random() * 1800)) * 1000;
  timers.push(setTimeout(() => response.end(), timeoutMs));
  if (request.allowBookmarks) {
    timers.push(
      setInterval(() => {
        write('BOOKMARK', {
          kind: request.type.kind,
          apiVersion: request.type.group ? `${request.type.group}/${request.version}` : request.version,
          metadata: { resourceVersion: String(store.resourceVersion) },
        });
      }, bookmarkIntervalMs),
    );
  }
  response.on('close', () => {
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
  });
}

/** The event a watcher with a selector sees for a change (k8s cache_watcher's convertToWatchEvent). */
function eventFor(
  change: StoredChange,
  matches: (object: KubeObject) => boolean,
): { type: EventType; object: KubeObject } | undefined {
  if (change.type === 'DELETED') {
    return matches(change.previous ?? change.object) ? { type: 'DELETED', object: change.object } : undefined;
  }
  const now = matches(change.object);
  const before = change.previous !== undefined && matches(change.previous);
  if (now && before) return { type: 'MODIFIED', object: change.object };
  if (now) return { type: 'ADDED', object: change.object };
  if (before)
    return {
      type: 'DELETED',
      object: {
        ...change.previous,
        metadata: { ...change.previous?.metadata, resourceVersion: change.object.metadata.resourceVersion },
      } as KubeObject,
    };
  return undefined;
}
