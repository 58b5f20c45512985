/**
 * The controllers a cluster runs that the dashboard relies on: deployments own replica sets, replica
 * sets own running pods (with Istio's sidecar injected where the namespace asks for it), services
 * get endpoints and cluster IPs. They react to changes asynchronously, like real controllers.
 */
import { createHash } from 'node:crypto';
import type { SimulatedCluster } from '../cluster/cluster';
import type { StoredChange } from '../cluster/store';
import { isPlainObject, type KubeObject } from '../cluster/types';
import type { SeededRandom } from '../random';
import { injectSidecar, wantsSidecar } from './sidecar-injection';

type Spec = Record<string, unknown>;

const nodeName = 'meshscope-sim-node';
/** Kubernetes' SafeEncodeString alphabet: no vowels, no 0/1/3, so hashes never spell words. */
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

function specOf(object: KubeObject): Spec {
  return isPlainObject(object.spec) ? object.spec : {};
}

function matchLabels(object: KubeObject): Record<string, string> {
  const selector = specOf(object).selector;
  return isPlainObject(selector) && isPlainObject(selector.matchLabels)
    ? (selector.matchLabels as Record<string, string>)
    : {};
}

function labelsMatch(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels?.[key] === value);
}

function replicas(object: KubeObject): number {
  const value = specOf(object).replicas;
  return typeof value === 'number' ? value : 1;
}

function byName(a: KubeObject, b: KubeObject): number {
  const left = a.metadata.name ?? '';
  const right = b.metadata.name ?? '';
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Pods by namespace and label, kept current from the store's changes, so that a selector reads the
 * pods carrying its rarest label rather than every pod of the namespace.
 */
class PodIndex {
  /** namespace → label key → label value → pods by name */
  private readonly pods = new Map<string, Map<string, Map<string, Map<string, KubeObject>>>>();

  add(pod: KubeObject): void {
    const namespace = pod.metadata.namespace ?? '';
    let keys = this.pods.get(namespace);
    if (!keys) {
      keys = new Map();
      this.pods.set(namespace, keys);
    }
    for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
      let values = keys.get(key);
      if (!values) {
        values = new Map();
        keys.set(key, values);
      }
      let named = values.get(value);
      if (!named) {
        named = new Map();
        values.set(value, named);
      }
      named.set(pod.metadata.name ?? '', pod);
    }
  }

  remove(pod: KubeObject): void {
    const keys = this.pods.get(pod.metadata.namespace ?? '');
    for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
      const values = keys?.get(key);
      const named = values?.get(value);
      if (!named) continue;
      named.delete(pod.metadata.name ?? '');
      if (named.size === 0) values?.delete(value);
      if (values?.size === 0) keys?.delete(key);
    }
  }

  /** The pods of `namespace` with label `key` = `value`. */
  labelled(namespace: string, key: string, value: unknown): Iterable<KubeObject> {
    if (typeof value !== 'string') return [];
    return this.pods.get(namespace)?.get(key)?.get(value)?.values() ?? [];
  }

  /** The pods of `namespace` the selector matches (none for an empty one), in name order as the store lists them. */
  select(namespace: string, selector: Record<string, string>): KubeObject[] {
    let narrowest: Iterable<KubeObject> | undefined;
    let size = Number.POSITIVE_INFINITY;
    for (const [key, value] of Object.entries(selector)) {
      const bucket = typeof value === 'string' ? this.pods.get(namespace)?.get(key)?.get(value) : undefined;
      if (!bucket) return [];
      if (bucket.size < size) {
        narrowest = bucket.values();
        size = bucket.size;
      }
    }
    if (!narrowest) return [];
    return [...narrowest].filter((pod) => labelsMatch(selector, pod.metadata.labels)).sort(byName);
  }
}

function ownerReference(owner: KubeObject, apiVersion: string, kind: string) {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export class WorkloadControllers {
  private readonly pending = new Set<string>();
  private readonly podIndex = new PodIndex();
  private scheduled: Promise<void> | undefined;
  private podAddress = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly cluster: SimulatedCluster,
    private readonly random: SeededRandom,
  ) {}

  start(): void {
    this.unsubscribe = this.cluster.store.subscribe((change) => this.enqueue(change));
    for (const pod of this.cluster.store.list('/pods')) this.podIndex.add(pod);
    for (const type of ['apps/deployments', 'apps/replicasets', '/services']) {
      for (const object of this.cluster.store.list(type))
        this.pending.add(`${type}|${object.metadata.namespace}|${object.metadata.name}`);
    }
    this.schedule();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Resolves once every queued change has been reconciled. */
  async settle(): Promise<void> {
    while (this.scheduled) await this.scheduled;
  }

  private enqueue(change: StoredChange): void {
    const { namespace, name } = change.object.metadata;
    switch (change.resource) {
      case 'apps/deployments':
      case 'apps/replicasets':
        this.pending.add(`${change.resource}|${namespace}|${name}`);
        break;
      case '/pods':
        if (change.previous) this.podIndex.remove(change.previous);
        if (change.type !== 'DELETED') this.podIndex.add(change.object);
        for (const owner of change.object.metadata.ownerReferences ?? []) {
          if (owner.kind === 'ReplicaSet') this.pending.add(`apps/replicasets|${namespace}|${owner.name}`);
        }
        this.pending.add(`endpoints|${namespace}|`);
        break;
      case '/services':
        this.pending.add(`endpoints|${namespace}|`);
        break;
      default:
        return;
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = new Promise<void>((resolve) => {
      setImmediate(() => {
        try {
          this.drain();
        } finally {
          this.scheduled = undefined;
          resolve();
          if (this.pending.size > 0) this.schedule();
        }
      });
    });
  }

  private drain(): void {
    // Bounded: each pass reconciles what was queued; writes made here queue the next pass.
    const batch = [...this.pending];
    this.pending.clear();
    for (const entry of batch) {
      const [resource, namespace, name] = entry.split('|');
      if (resource === 'apps/deployments') this.reconcileDeployment(namespace ?? '', name ?? '');
      else if (resource === 'apps/replicasets') this.reconcileReplicaSet(namespace ?? '', name ?? '');
      else if (resource === 'endpoints') this.reconcileEndpoints(namespace ?? '');
    }
  }

  private reconcileDeployment(namespace: string, name: string): void {
    const store = this.cluster.store;
    const deployment = store.get('apps/deployments', namespace, name);
    if (!deployment) return;
    const template = specOf(deployment).template;
    const hash = createHash('sha256')
      .update(JSON.stringify(template ?? {}))
      .digest()
      .subarray(0, 10)
      .reduce((text, byte) => text + (safeAlphabet[byte % safeAlphabet.length] ?? 'x'), '');
    const replicaSetType = this.cluster.type('apps', 'replicasets');
    const owned = this.dependents(deployment, 'apps/replicasets');
    const currentName = `${name}-${hash}`;
    for (const old of owned) {
      if (old.metadata.name !== currentName && replicas(old) !== 0) {
        this.cluster.operations.upsertSystem(replicaSetType, {
          ...old,
          spec: { ...specOf(old), replicas: 0 },
        });
      }
    }
    const templateObject = isPlainObject(template) ? template : {};
    const templateMetadata = isPlainObject(templateObject.metadata) ? templateObject.metadata : {};
    const labels = {
      ...((templateMetadata.labels as Record<string, string>) ?? {}),
      'pod-template-hash': hash,
    };
    const existing = store.get('apps/replicasets', namespace, currentName);
    this.cluster.operations.upsertSystem(replicaSetType, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        ...(existing?.metadata ?? {}),
        name: currentName,
        namespace,
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas(deployment)),
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [ownerReference(deployment, 'apps/v1', 'Deployment')],
      },
      spec: {
        replicas: replicas(deployment),
        selector: { matchLabels: { ...matchLabels(deployment), 'pod-template-hash': hash } },
        template: { ...templateObject, metadata: { ...templateMetadata, labels } },
      },
      status: existing?.status ?? { replicas: 0 },
    });
    let ready = 0;
    for (const pod of this.podIndex.labelled(namespace, 'pod-template-hash', hash))
      if (labelsMatch(matchLabels(deployment), pod.metadata.labels)) ready += 1;
    const desired = replicas(deployment);
    const now = `${new Date().toISOString().slice(0, 19)}Z`;
    const condition = (type: string, reason: string, message: string) => ({
      type,
      status: 'True',
      lastUpdateTime: now,
      lastTransitionTime: now,
      reason,
      message,
    });
    const status = {
      observedGeneration: deployment.metadata.generation,
      replicas: ready,
      updatedReplicas: ready,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        condition('Available', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
        condition(
          'Progressing',
          'NewReplicaSetAvailable',
          `ReplicaSet "${currentName}" has successfully progressed.`,
        ),
      ],
    };
    if (
      ready === desired &&
      isPlainObject(deployment.status) &&
      deployment.status.readyReplicas === ready &&
      deployment.status.observedGeneration === deployment.metadata.generation
    )
      return;
    this.cluster.operations.update(
      this.cluster.type('apps', 'deployments'),
      namespace,
      name,
      { ...deployment, status },
      { system: true, subresource: 'status' },
    );
  }

  private reconcileReplicaSet(namespace: string, name: string): void {
    const store = this.cluster.store;
    const replicaSet = store.get('apps/replicasets', namespace, name);
    if (!replicaSet) return;
    const podType = this.cluster.type('', 'pods');
    const pods = this.dependents(replicaSet, '/pods');
    const desired = replicas(replicaSet);
    for (const extra of pods.slice(desired))
      this.cluster.operations.delete(podType, namespace, extra.metadata.name ?? '', { system: true });
    for (let count = pods.length; count < desired; count += 1) {
      this.cluster.operations.create(podType, namespace, this.podFor(replicaSet), {
        system: true,
        fieldManager: 'kube-controller-manager',
      });
    }
    const running = desired;
    if (
      isPlainObject(replicaSet.status) &&
      replicaSet.status.readyReplicas === running &&
      replicaSet.status.replicas === running
    )
      return;
    this.cluster.operations.update(
      this.cluster.type('apps', 'replicasets'),
      namespace,
      name,
      {
        ...replicaSet,
        status: {
          replicas: running,
          fullyLabeledReplicas: running,
          readyReplicas: running,
          availableReplicas: running,
          observedGeneration: replicaSet.metadata.generation,
        },
      },
      { system: true, subresource: 'status' },
    );
  }

  /** The objects of `resource` in the owner's namespace whose ownerReferences name it, in name order. */
  private dependents(owner: KubeObject, resource: string): KubeObject[] {
    const store = this.cluster.store;
    const namespace = owner.metadata.namespace;
    const found: KubeObject[] = [];
    for (const reference of store.dependentsOf(owner.metadata.uid ?? '')) {
      if (reference.resource !== resource || reference.namespace !== namespace) continue;
      const object = store.get(resource, namespace, reference.name);
      if (object) found.push(object);
    }
    return found.sort(byName);
  }

  /** A running pod from the replica set's template, with the sidecar injected where Istio would. */
  private podFor(replicaSet: KubeObject): KubeObject {
    const template = isPlainObject(specOf(replicaSet).template) ? (specOf(replicaSet).template as Spec) : {};
    const metadata = isPlainObject(template.metadata) ? template.metadata : {};
    const namespaceObject = this.cluster.store.get(
      '/namespaces',
      undefined,
      replicaSet.metadata.namespace ?? '',
    );
    const podSpec = isPlainObject(template.spec) ? template.spec : {};
    this.podAddress += 1;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${replicaSet.metadata.name}-${this.random.suffix(5)}`,
        namespace: replicaSet.metadata.namespace,
        labels: { ...((metadata.labels as Record<string, string>) ?? {}) },
        annotations: { ...((metadata.annotations as Record<string, string>) ?? {}) },
        ownerReferences: [ownerReference(replicaSet, 'apps/v1', 'ReplicaSet')],
      },
      spec: {
        ...podSpec,
        nodeName,
        serviceAccountName: podSpec.serviceAccountName ?? 'default',
        restartPolicy: 'Always',
      },
    };
    const injected = wantsSidecar(namespaceObject, pod) ? injectSidecar(pod) : pod;
    return {
      ...injected,
      status: runningStatus(
        injected,
        `10.244.${Math.floor(this.podAddress / 250)}.${(this.podAddress % 250) + 2}`,
      ),
    };
  }

  private reconcileEndpoints(namespace: string): void {
    const store = this.cluster.store;
    const endpointsType = this.cluster.type('', 'endpoints');
    for (const service of store.list('/services', namespace)) {
      const selector = specOf(service).selector;
      if (!isPlainObject(selector)) continue;
      const members = this.podIndex
        .select(namespace, selector as Record<string, string>)
        .filter((pod) => isPlainObject(pod.status) && pod.status.phase === 'Running');
      const ports = (Array.isArray(specOf(service).ports) ? (specOf(service).ports as Spec[]) : []).map(
        (port) => ({
          name: port.name,
          port: typeof port.targetPort === 'number' ? port.targetPort : port.port,
          protocol: port.protocol ?? 'TCP',
        }),
      );
      const addresses = members.map((pod) => ({
        ip: (pod.status as Spec).podIP,
        nodeName,
        targetRef: { kind: 'Pod', namespace, name: pod.metadata.name, uid: pod.metadata.uid },
      }));
      const endpoints: KubeObject = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: service.metadata.name, namespace, labels: service.metadata.labels ?? {} },
        subsets: addresses.length > 0 ? [{ addresses, ports }] : [],
      };
      const existing = store.get('/endpoints', namespace, service.metadata.name ?? '');
      if (existing && JSON.stringify(existing.subsets ?? []) === JSON.stringify(endpoints.subsets)) continue;
      this.cluster.operations.upsertSystem(endpointsType, endpoints);
    }
  }
}

function runningStatus(pod: KubeObject, podIP: string): Record<string, unknown> {
  const now = `${new Date().toISOString().slice(0, 19)}Z`;
  const containers = Array.isArray(specOf(pod).containers) ? (specOf(pod).containers as Spec[]) : [];
  return {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
      (type) => ({ type, status: 'True', lastTransitionTime: now }),
    ),
    hostIP: '192.168.49.2',
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    qosClass: 'Burstable',
    containerStatuses: containers.map((container) => ({
      name: container.name,
      image: container.image,
      imageID: `docker-pullable://${String(container.image)}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
    })),
  };
}
