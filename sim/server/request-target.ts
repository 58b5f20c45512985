/** Parsing a Kubernetes API path into what it addresses. */

import type { SimulatedCluster } from '../cluster/cluster';
import type { ResolvedResource } from '../cluster/registry';

export interface ResourceTarget {
  group: string;
  version: string;
  resolved: ResolvedResource;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
  /** what follows a `proxy` subresource, e.g. `stats/prometheus` */
  subpath: string;
}

export type ApiTarget =
  | { kind: 'resource'; target: ResourceTarget }
  | { kind: 'group-version'; group: string; version: string }
  | { kind: 'unknown' };

/**
 * `/api/v1/namespaces/NS/pods/NAME/proxy/PATH` and the like. Segments arrive percent-decoded.
 * `/api/v1/namespaces/NAME[/status]` addresses the namespace itself.
 */
export function parseApiPath(cluster: SimulatedCluster, segments: string[]): ApiTarget {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1]) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments[1] && segments[2]) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return { kind: 'unknown' };
  }
  if (rest.length === 0) return { kind: 'group-version', group, version };

  let namespace: string | undefined;
  const namespacedForm =
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(group === '' && (rest[2] === 'status' || rest[2] === 'finalize') && rest.length === 3);
  if (namespacedForm) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, rawName, subresource, ...subpath] = rest;
  if (!plural) return { kind: 'unknown' };
  const resolved = cluster.registry.resolve(group, version, plural);
  if (!resolved) return { kind: 'unknown' };
  if (namespace !== undefined && !resolved.type.namespaced) return { kind: 'unknown' };
  return {
    kind: 'resource',
    target: { group, version, resolved, namespace, name: rawName, subresource, subpath: subpath.join('/') },
  };
}

/** The RBAC verb for a request on a resource target. */
export function verbFor(method: string, target: ResourceTarget, watch: boolean): string {
  if (target.subresource === 'proxy')
    return method === 'GET' ? 'get' : method === 'POST' ? 'create' : method.toLowerCase();
  if (target.subresource === 'portforward' || target.subresource === 'exec') return 'create';
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (target.name === undefined) return watch ? 'watch' : 'list';
      return 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return target.name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}
