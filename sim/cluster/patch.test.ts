import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  preconditionResourceVersion,
} from './patch';
import { StatusError } from './status-error';
import { isPlainObject } from './types';

/** Freezes a fixture all the way down, so any mutation of an input throws (modules are strict). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function statusErrorOf(run: () => unknown): StatusError {
  try {
    run();
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  throw new Error('expected a StatusError to be thrown');
}

/** Walks a path of keys and indices, failing the test if something on the way is missing. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (isPlainObject(current) && typeof step === 'string') current = current[step];
    else throw new Error(`nothing at ${path.join('.')} (stopped at ${String(step)})`);
  }
  return current;
}

function virtualService() {
  return deepFreeze({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: {
      name: 'reviews',
      namespace: 'bookinfo',
      resourceVersion: '1200',
      annotations: { owner: 'team-reviews' },
    },
    spec: {
      hosts: ['reviews'],
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 90 },
            { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
          ],
        },
      ],
    },
  });
}

function reviewsContainer() {
  return {
    name: 'reviews',
    image: 'docker.io/istio/examples-bookinfo-reviews-v1:1.19.1',
    args: ['--log-level=info'],
    env: [
      { name: 'B', value: '1' },
      { name: 'C', value: 'from-server' },
      { name: 'A', value: '1' },
    ],
    ports: [{ containerPort: 9080, protocol: 'TCP' }],
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' },
    ],
    resources: { requests: { cpu: '10m' } },
  };
}

function istioProxyContainer() {
  return {
    name: 'istio-proxy',
    image: 'docker.io/istio/proxyv2:1.24.0',
    args: ['proxy', 'sidecar'],
    ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
  };
}

function deployment() {
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'reviews-v1',
      namespace: 'bookinfo',
      resourceVersion: '3400',
      finalizers: ['example.com/a', 'example.com/b'],
    },
    spec: {
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: {
          labels: { app: 'reviews', version: 'v1' },
          annotations: { 'prometheus.io/scrape': 'true' },
        },
        spec: {
          containers: [reviewsContainer(), istioProxyContainer()],
          volumes: [
            { name: 'tmp', emptyDir: {} },
            { name: 'wlp-output', emptyDir: {} },
          ],
        },
      },
    },
    status: {
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    },
  });
}

function service() {
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'reviews', namespace: 'bookinfo' },
    spec: {
      selector: { app: 'reviews' },
      ports: [
        { name: 'http', port: 9080, targetPort: 9080 },
        { name: 'grpc', port: 9090, targetPort: 9090 },
      ],
    },
  });
}

const containersOf = (object: unknown) => at(object, 'spec', 'template', 'spec', 'containers');
const reviewsOf = (object: unknown) => at(containersOf(object), 0);

describe('applyMergePatch', () => {
  it('replaces the route list wholesale to shift VirtualService weights', () => {
    const route = [
      { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
      { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
    ];
    const patched = applyMergePatch(virtualService(), { spec: { http: [{ route }] } });

    expect(at(patched, 'spec', 'http')).toEqual([{ route }]);
    expect(at(patched, 'spec', 'hosts')).toEqual(['reviews']);
    expect(at(patched, 'metadata', 'annotations')).toEqual({ owner: 'team-reviews' });
  });

  it('deletes keys set to null and keeps their siblings', () => {
    const patched = applyMergePatch(virtualService(), {
      metadata: { annotations: { owner: null, reviewed: 'yes' } },
      spec: { hosts: null },
    });

    expect(at(patched, 'metadata', 'annotations')).toEqual({ reviewed: 'yes' });
    expect(at(patched, 'spec')).not.toHaveProperty('hosts');
    expect(at(patched, 'spec', 'http', 0, 'route', 0, 'weight')).toBe(90);
  });

  it('replaces the target with a non-object patch and drops nulls inside new objects (RFC 7386)', () => {
    expect(applyMergePatch(virtualService(), ['x'])).toEqual(['x']);
    expect(applyMergePatch('not an object', { a: { b: null, c: 1 } })).toEqual({ a: { c: 1 } });
  });

  it('shares nothing with its inputs', () => {
    const patch = deepFreeze({
      metadata: { labels: { app: 'reviews' } },
      spec: { hosts: ['reviews', 'ratings'] },
    });
    const target = virtualService();
    const patched = applyMergePatch(target, patch);

    expect(at(patched, 'metadata', 'labels')).toEqual({ app: 'reviews' });
    expect(at(patched, 'metadata', 'labels')).not.toBe(patch.metadata.labels);
    expect(at(patched, 'spec', 'hosts')).toEqual(['reviews', 'ratings']);
    expect(at(patched, 'spec', 'hosts')).not.toBe(patch.spec.hosts);
    expect(at(patched, 'spec')).not.toBe(target.spec);
  });

  it('keeps a __proto__ key an ordinary key instead of polluting prototypes', () => {
    const patch: unknown = JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}');
    const patched = applyMergePatch(virtualService(), patch);

    expect(Object.hasOwn(at(patched, 'metadata') as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(at(patched, 'metadata'))).toBe(Object.prototype);
  });
});

describe('applyJsonPatch', () => {
  it('replaces route weights by pointer', () => {
    const patched = applyJsonPatch(virtualService(), [
      { op: 'test', path: '/spec/http/0/route/0/weight', value: 90 },
      { op: 'replace', path: '/spec/http/0/route/0/weight', value: 75 },
      { op: 'replace', path: '/spec/http/0/route/1/weight', value: 25 },
    ]);

    expect(at(patched, 'spec', 'http', 0, 'route', 0, 'weight')).toBe(75);
    expect(at(patched, 'spec', 'http', 0, 'route', 1, 'weight')).toBe(25);
  });

  it('supports add with ~1 and ~0 escapes, - append, remove, move and copy', () => {
    const patched = applyJsonPatch(virtualService(), [
      { op: 'add', path: '/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: 'now' },
      { op: 'add', path: '/metadata/annotations/a~0b', value: 'tilde' },
      { op: 'add', path: '/spec/hosts/-', value: 'reviews.bookinfo.svc.cluster.local' },
      { op: 'copy', from: '/spec/http/0/route/1', path: '/spec/http/0/route/-' },
      { op: 'remove', path: '/spec/http/0/route/0' },
      { op: 'move', from: '/metadata/annotations/owner', path: '/metadata/labels' },
    ]);

    expect(at(patched, 'metadata', 'annotations')).toEqual({
      'kubectl.kubernetes.io/restartedAt': 'now',
      'a~b': 'tilde',
    });
    expect(at(patched, 'metadata', 'labels')).toBe('team-reviews');
    expect(at(patched, 'spec', 'hosts')).toEqual(['reviews', 'reviews.bookinfo.svc.cluster.local']);
    expect(at(patched, 'spec', 'http', 0, 'route')).toEqual([
      { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
      { destination: { host: 'reviews', subset: 'v2' }, weight: 10 },
    ]);
  });

  it('answers 422 when a test operation fails', () => {
    const error = statusErrorOf(() =>
      applyJsonPatch(virtualService(), [
        { op: 'test', path: '/spec/http/0/route/0/weight', value: 50 },
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 100 },
      ]),
    );

    expect(error.code).toBe(422);
    expect(error.message).toBe('testing value /spec/http/0/route/0/weight failed: test failed');
  });

  it('answers 422 for operations on paths the document lacks', () => {
    const cases = [
      { op: 'add', path: '/spec/nope/0', value: 1 },
      { op: 'replace', path: '/spec/nope', value: 1 },
      { op: 'remove', path: '/spec/http/3' },
    ];
    for (const operation of cases) {
      const error = statusErrorOf(() => applyJsonPatch(virtualService(), [operation]));
      expect(error.code).toBe(422);
      expect(error.message).toContain(`doc is missing path: "${operation.path}"`);
    }
    const move = statusErrorOf(() =>
      applyJsonPatch(virtualService(), [{ op: 'move', from: '/spec/gone', path: '/spec/here' }]),
    );
    expect(move.code).toBe(422);
    expect(move.message).toContain('doc is missing from path: "/spec/gone"');
  });

  it('answers 422 for malformed operations, including ones the library would accept', () => {
    const malformed = [
      { op: '_get', path: '/spec' },
      { op: 'frobnicate', path: '/spec' },
      { op: 'add', path: '/spec/x' },
      { op: 'replace', value: 1 },
      { op: 'copy', path: '/spec/x' },
      { op: 'move', from: '/spec', path: '/spec/http' },
      { op: 'add', path: 'spec/x', value: 1 },
    ];
    for (const operation of malformed) {
      expect(statusErrorOf(() => applyJsonPatch(virtualService(), [operation])).code).toBe(422);
    }
  });

  it('answers 400 for a body that is not a list of operations', () => {
    const notAList = statusErrorOf(() => applyJsonPatch(virtualService(), { op: 'remove', path: '/spec' }));
    expect(notAList.code).toBe(400);
    expect(notAList.message).toBe('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    expect(statusErrorOf(() => applyJsonPatch(virtualService(), ['remove /spec'])).code).toBe(400);
  });

  it('leaves the target and operations untouched and shares no values with them', () => {
    const target = virtualService();
    const operations = deepFreeze([{ op: 'add', path: '/metadata/labels', value: { app: 'reviews' } }]);
    const patched = applyJsonPatch(target, operations);

    expect(at(patched, 'metadata', 'labels')).toEqual({ app: 'reviews' });
    expect(at(patched, 'metadata', 'labels')).not.toBe(operations[0]?.value);
    expect(target.metadata).not.toHaveProperty('labels');
  });
});

describe('applyStrategicMergePatch', () => {
  it('merges env by name as kubectl apply sends it, keeping the istio-proxy sidecar and no directives', () => {
    const patch = deepFreeze({
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'reviews' }],
            containers: [
              {
                name: 'reviews',
                '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }],
                env: [{ name: 'B', value: '2' }],
              },
            ],
          },
        },
      },
    });
    const patched = applyStrategicMergePatch(deployment(), patch);

    expect(containersOf(patched)).toHaveLength(2);
    expect(at(containersOf(patched), 1)).toEqual(istioProxyContainer());
    expect(at(reviewsOf(patched), 'env')).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
      { name: 'C', value: 'from-server' },
    ]);
    expect(at(reviewsOf(patched), 'image')).toBe(reviewsContainer().image);
    expect(JSON.stringify(patched)).not.toContain('"$');
  });

  it('changes one container image as kubectl set image does', () => {
    const image = 'docker.io/istio/examples-bookinfo-reviews-v1:1.20.0';
    const patched = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ image, name: 'reviews' }] } } },
    });

    expect(at(reviewsOf(patched), 'image')).toBe(image);
    expect(at(reviewsOf(patched), 'env')).toEqual(reviewsContainer().env);
    expect(at(containersOf(patched), 1)).toEqual(istioProxyContainer());
  });

  it('adds the restartedAt annotation of kubectl rollout restart beside existing annotations', () => {
    const restartedAt = '2025-01-02T03:04:05Z';
    const patched = applyStrategicMergePatch(deployment(), {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } },
    });

    expect(at(patched, 'spec', 'template', 'metadata', 'annotations')).toEqual({
      'prometheus.io/scrape': 'true',
      'kubectl.kubernetes.io/restartedAt': restartedAt,
    });
    expect(at(patched, 'spec', 'template', 'metadata', 'labels')).toEqual({ app: 'reviews', version: 'v1' });
  });

  it('removes a container with $patch: delete', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'istio-proxy', $patch: 'delete' }] } } },
    });

    expect(containersOf(patched)).toEqual([reviewsContainer()]);
  });

  it('replaces a whole list or map with $patch: replace', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: {
        template: {
          metadata: { labels: { $patch: 'replace', app: 'reviews' } },
          spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'busybox' }] },
        },
      },
    });

    expect(at(patched, 'spec', 'template', 'metadata', 'labels')).toEqual({ app: 'reviews' });
    expect(containersOf(patched)).toEqual([{ name: 'only', image: 'busybox' }]);
  });

  it('deletes a map with $patch: delete and a key with null', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: {
        strategy: { $patch: 'delete' },
        template: { spec: { containers: [{ name: 'reviews', resources: null }] } },
      },
    });

    expect(at(patched, 'spec')).not.toHaveProperty('strategy');
    expect(reviewsOf(patched)).not.toHaveProperty('resources');
    expect(at(reviewsOf(patched), 'args')).toEqual(['--log-level=info']);
  });

  it('keeps only the $retainKeys fields of a map', () => {
    // kubectl apply also nulls the dropped field; the directive alone must drop it too.
    for (const strategy of [
      { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
      { $retainKeys: ['type'], type: 'Recreate' },
    ]) {
      const patched = applyStrategicMergePatch(deployment(), { spec: { strategy } });
      expect(at(patched, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    }
  });

  it('answers 400 when the patch sets a field $retainKeys does not list', () => {
    const error = statusErrorOf(() =>
      applyStrategicMergePatch(deployment(), {
        spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } },
      }),
    );

    expect(error.code).toBe(400);
  });

  it('set-merges finalizers and removes them with $deleteFromPrimitiveList', () => {
    const merged = applyStrategicMergePatch(deployment(), {
      metadata: { finalizers: ['example.com/b', 'example.com/c'] },
    });
    const pruned = applyStrategicMergePatch(deployment(), {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/a'] },
    });

    expect(at(merged, 'metadata', 'finalizers')).toEqual(['example.com/a', 'example.com/b', 'example.com/c']);
    expect(at(pruned, 'metadata', 'finalizers')).toEqual(['example.com/b']);
    expect(JSON.stringify(pruned)).not.toContain('$deleteFromPrimitiveList');
  });

  it('merges container ports by containerPort, volumeMounts by mountPath and replaces args', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'reviews',
                args: ['--log-level=debug'],
                ports: [{ containerPort: 9080, name: 'http' }],
                volumeMounts: [{ mountPath: '/tmp', readOnly: true }],
              },
            ],
          },
        },
      },
    });
    const reviews = reviewsOf(patched);

    expect(at(reviews, 'args')).toEqual(['--log-level=debug']);
    expect(at(reviews, 'ports')).toEqual([{ containerPort: 9080, protocol: 'TCP', name: 'http' }]);
    expect(at(reviews, 'volumeMounts')).toEqual([
      { name: 'tmp', mountPath: '/tmp', readOnly: true },
      { name: 'wlp-output', mountPath: '/opt/ibm/wlp/output' },
    ]);
  });

  it('merges Service ports by port', () => {
    const patched = applyStrategicMergePatch(service(), {
      spec: {
        ports: [
          { port: 9080, targetPort: 8080 },
          { name: 'metrics', port: 15020, targetPort: 15020 },
        ],
      },
    });

    expect(at(patched, 'spec', 'ports')).toEqual([
      { name: 'http', port: 9080, targetPort: 8080 },
      { name: 'grpc', port: 9090, targetPort: 9090 },
      { name: 'metrics', port: 15020, targetPort: 15020 },
    ]);
  });

  it('merges conditions by type', () => {
    const patched = applyStrategicMergePatch(deployment(), {
      status: { conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }] },
    });

    expect(at(patched, 'status', 'conditions')).toEqual([
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ]);
  });

  it('answers 400 for a missing merge key, an unknown $patch or a body that is not an object', () => {
    const missingKey = statusErrorOf(() =>
      applyStrategicMergePatch(deployment(), {
        spec: { template: { spec: { containers: [{ image: 'x' }] } } },
      }),
    );
    expect(missingKey.code).toBe(400);
    expect(missingKey.message).toContain('does not contain declared merge key: name');
    expect(
      statusErrorOf(() =>
        applyStrategicMergePatch(deployment(), { spec: { strategy: { $patch: 'explode' } } }),
      ).code,
    ).toBe(400);
    expect(statusErrorOf(() => applyStrategicMergePatch(deployment(), [{ op: 'remove' }])).code).toBe(400);
  });

  it('leaves frozen inputs untouched and shares no values with them', () => {
    const target = deployment();
    const patch = deepFreeze({
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'reviews', args: ['--log-level=debug'] },
              { name: 'sidecar', image: 'busybox', env: [] },
            ],
          },
        },
      },
    });
    const patched = applyStrategicMergePatch(target, patch);

    expect(at(reviewsOf(patched), 'args')).not.toBe(patch.spec.template.spec.containers[0]?.args);
    expect(at(containersOf(patched), 2)).toEqual({ name: 'sidecar', image: 'busybox', env: [] });
    expect(at(containersOf(patched), 2)).not.toBe(patch.spec.template.spec.containers[1]);
    expect(at(containersOf(patched), 1)).not.toBe(target.spec.template.spec.containers[1]);
    expect(target.spec.template.spec.containers).toHaveLength(2);
  });
});

describe('preconditionResourceVersion', () => {
  it('reads metadata.resourceVersion from a merge or strategic patch body', () => {
    expect(preconditionResourceVersion({ metadata: { resourceVersion: '1200' }, spec: {} })).toBe('1200');
  });

  it('is undefined when the body carries none, an empty one, or is a JSON patch', () => {
    expect(preconditionResourceVersion({ spec: { replicas: 2 } })).toBeUndefined();
    expect(preconditionResourceVersion({ metadata: { resourceVersion: '' } })).toBeUndefined();
    expect(preconditionResourceVersion({ metadata: { resourceVersion: 1200 } })).toBeUndefined();
    expect(
      preconditionResourceVersion([{ op: 'replace', path: '/metadata/resourceVersion', value: '1' }]),
    ).toBeUndefined();
  });
});
