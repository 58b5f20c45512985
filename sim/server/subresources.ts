/** Subresources: scale, pod logs, pod and service proxy, and the access/token reviews. */
import type { SimulatedUser } from '../cluster/auth';
import { isReviewKind } from '../cluster/builtin-types';
import { StatusError, statusErrors } from '../cluster/status-error';
import { isPlainObject, type KubeObject } from '../cluster/types';
import { parseBody, readBody, sendJson, sendText } from './http-util';
import type { PodNetwork } from './pod-network';
import type { ResourceTarget } from './request-target';
import type { RequestContext } from './resource-handler';
import { writeOptions } from './resource-handler';

export function isReview(target: ResourceTarget): boolean {
  return isReviewKind(target.resolved.type.group);
}

function scaleOf(object: KubeObject): Record<string, unknown> {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const status = isPlainObject(object.status) ? object.status : {};
  const selector =
    isPlainObject(spec.selector) && isPlainObject(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: Object.entries(selector)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(','),
    },
  };
}

/** GET/PUT/PATCH `deployments/NAME/scale`, answering autoscaling/v1 Scale as kubectl requires. */
export async function handleScale(
  context: RequestContext,
  target: ResourceTarget,
  method: string,
): Promise<void> {
  const { cluster, request, query } = context;
  const { type } = target.resolved;
  const name = target.name ?? '';
  const current = cluster.operations.get(type, target.namespace, name);
  if (method === 'GET') {
    sendJson(context.response, 200, scaleOf(current));
    return;
  }
  const body = parseBody(await readBody(request), request.headers['content-type']);
  const scale = isPlainObject(body) ? body : {};
  const spec = isPlainObject(scale.spec) ? scale.spec : {};
  const metadata = isPlainObject(scale.metadata) ? scale.metadata : {};
  if (typeof spec.replicas !== 'number' || spec.replicas < 0) {
    throw statusErrors.invalid('Scale', 'autoscaling', name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: 'Invalid value: must be greater than or equal to 0',
      },
    ]);
  }
  if (
    typeof metadata.resourceVersion === 'string' &&
    metadata.resourceVersion !== current.metadata.resourceVersion
  ) {
    throw statusErrors.conflict(type.plural, type.group, name);
  }
  const patched = cluster.operations.patch(
    type,
    target.namespace,
    name,
    'merge',
    { spec: { replicas: spec.replicas } },
    writeOptions(query, target.version),
  );
  sendJson(context.response, 200, scaleOf(patched.object));
}

export function handleLog(context: RequestContext, target: ResourceTarget, network: PodNetwork): void {
  const { cluster, query } = context;
  const pod = cluster.operations.get(target.resolved.type, target.namespace, target.name ?? '');
  const containers = Array.isArray((pod.spec as { containers?: unknown })?.containers)
    ? (pod.spec as { containers: { name?: string }[] }).containers.map((container) => container.name ?? '')
    : [];
  const container = query.get('container') ?? undefined;
  if (!container && containers.length > 1) {
    throw statusErrors.badRequest(
      `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`,
    );
  }
  const tail = query.get('tailLines');
  const text = network.logs(pod, {
    container: container ?? containers[0],
    tailLines: tail ? Number(tail) : undefined,
    timestamps: query.get('timestamps') === 'true',
  });
  if (text === undefined) {
    throw statusErrors.badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  }
  sendText(context.response, 200, text);
}

/** `pods/[SCHEME:]NAME[:PORT]/proxy/PATH`: forwards to what listens on that pod port. */
export async function handlePodProxy(
  context: RequestContext,
  target: ResourceTarget,
  network: PodNetwork,
  method: string,
): Promise<void> {
  const { cluster, request, query } = context;
  const parts = (target.name ?? '').split(':');
  const [name, port] = parts.length === 3 ? [parts[1] ?? '', parts[2]] : [parts[0] ?? '', parts[1]];
  const pod = cluster.operations.get(target.resolved.type, target.namespace, name);
  const podIp = isPlainObject(pod.status) && typeof pod.status.podIP === 'string' ? pod.status.podIP : '';
  const portNumber = port ? Number(port) : firstContainerPort(pod);
  const listener = portNumber !== undefined ? network.listener(pod, portNumber) : undefined;
  if (!podIp || !listener || listener.localhostOnly) {
    throw statusErrors.serviceUnavailable(
      `error trying to reach service: dial tcp ${podIp || '<none>'}:${portNumber ?? 80}: connect: connection refused`,
    );
  }
  const proxiedQuery = new URLSearchParams(query);
  const pathParameter = proxiedQuery.get('path');
  proxiedQuery.delete('path');
  const path = `/${target.subpath || (pathParameter ?? '').replace(/^\//, '')}`;
  const search = proxiedQuery.toString();
  const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(request);
  const answer = await listener.handle({
    method,
    path: search ? `${path}?${search}` : path,
    headers: request.headers,
    body,
  });
  context.response.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(Buffer.byteLength(answer.body)),
  });
  context.response.end(answer.body);
}

function firstContainerPort(pod: KubeObject): number | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : [];
  for (const container of containers) {
    const ports = Array.isArray(container.ports) ? container.ports.filter(isPlainObject) : [];
    const port = ports[0]?.containerPort;
    if (typeof port === 'number') return port;
  }
  return undefined;
}

/** SelfSubjectAccessReview, SelfSubjectRulesReview, SelfSubjectReview and TokenReview. */
export async function handleReview(
  context: RequestContext,
  target: ResourceTarget,
  user: SimulatedUser,
): Promise<void> {
  const { cluster, request } = context;
  const { type } = target.resolved;
  const body = parseBody(await readBody(request), request.headers['content-type']);
  const review = isPlainObject(body) ? body : {};
  const spec = isPlainObject(review.spec) ? review.spec : {};
  const apiVersion = `${type.group}/${target.version}`;
  const answer = (status: Record<string, unknown>) =>
    sendJson(context.response, 201, {
      kind: type.kind,
      apiVersion,
      metadata: { creationTimestamp: null },
      spec,
      status,
    });
  switch (type.kind) {
    case 'SelfSubjectAccessReview': {
      const attributes = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
      if (!attributes) {
        answer({ allowed: true, reason: 'non-resource URLs are readable by authenticated users' });
        return;
      }
      const text = (key: string) =>
        typeof attributes[key] === 'string' && attributes[key] !== ''
          ? (attributes[key] as string)
          : undefined;
      const access = {
        verb: text('verb') ?? '',
        group: text('group') ?? '',
        resource: text('resource') ?? '',
      };
      const allowed = cluster.authorizer.allows(user, {
        ...access,
        ...(text('subresource') ? { subresource: text('subresource') } : {}),
        ...(text('namespace') ? { namespace: text('namespace') } : {}),
        ...(text('name') ? { name: text('name') } : {}),
      });
      answer(
        allowed
          ? { allowed: true, reason: `RBAC: allowed by the simulated user table for "${user.username}"` }
          : { allowed: false },
      );
      return;
    }
    case 'SelfSubjectRulesReview':
      answer({
        resourceRules: user.rules.map((rule) => ({
          verbs: rule.verbs,
          apiGroups: rule.apiGroups,
          resources: rule.resources,
        })),
        nonResourceRules: [
          {
            verbs: ['get'],
            nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/version', '/healthz', '/openapi/*'],
          },
        ],
        incomplete: false,
      });
      return;
    case 'SelfSubjectReview':
      answer({ userInfo: { username: user.username, groups: user.groups } });
      return;
    case 'TokenReview': {
      const token = typeof spec.token === 'string' ? spec.token : '';
      const reviewed = cluster.authorizer.userForToken(token);
      answer(
        reviewed
          ? {
              authenticated: true,
              user: { username: reviewed.username, uid: reviewed.id, groups: reviewed.groups },
              audiences: ['https://kubernetes.default.svc'],
            }
          : { authenticated: false, error: 'invalid bearer token' },
      );
      return;
    }
    default:
      throw new StatusError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
  }
}
