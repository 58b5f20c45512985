import type { ConfigSnapshot, IstioKind, IstioObject } from '../types/mesh-config';
import type { Finding, FindingObject, ValidationOptions } from '../types/validation';
import { buildFinding, type CheckContext, type Checker, type SubjectKind, type SubjectOf } from './checker';
import { CHECKERS } from './checkers';
import { isWildcardHost } from './hosts';
import { destinationsOf, MeshIndex, objectKey } from './mesh-index';
import { record, text, texts } from './spec';
import { createSuppressor } from './suppression';

/** One object to check, with what suppression reads from it. */
interface Subject {
  kind: SubjectKind;
  value: SubjectOf<SubjectKind>;
  key: string;
  annotations: Readonly<Record<string, string>> | undefined;
}

/** Identifies an Istio object to remove. */
export interface IstioObjectRef {
  kind: IstioKind;
  namespace: string;
  name: string;
}

export interface ConfigChange {
  /** objects created or replaced (matched by kind, namespace and name) */
  upsert?: readonly IstioObject[];
  removed?: readonly IstioObjectRef[];
}

const checkersByKind = new Map<SubjectKind, Checker[]>();
for (const checker of CHECKERS) {
  const list = checkersByKind.get(checker.kind);
  if (list) list.push(checker);
  else checkersByKind.set(checker.kind, [checker]);
}

function istioSubject(object: IstioObject): Subject {
  return {
    kind: object.kind,
    value: object,
    key: objectKey(object.kind, object.namespace, object.name),
    annotations: object.annotations,
  };
}

function* allSubjects(index: MeshIndex): Generator<Subject> {
  for (const namespace of index.namespaces.values()) {
    yield {
      kind: 'Namespace',
      value: namespace,
      key: objectKey('Namespace', '', namespace.name),
      annotations: namespace.annotations,
    };
  }
  for (const pod of index.podList) {
    yield {
      kind: 'Pod',
      value: pod,
      key: objectKey('Pod', pod.namespace, pod.name),
      annotations: pod.annotations,
    };
  }
  for (const service of index.services) {
    yield {
      kind: 'Service',
      value: service,
      key: objectKey('Service', service.namespace, service.name),
      annotations: service.annotations,
    };
  }
  for (const kind of checkersByKind.keys()) {
    if (kind === 'Namespace' || kind === 'Pod' || kind === 'Service') continue;
    for (const object of index.objectsOf(kind)) yield istioSubject(object);
  }
}

/**
 * Runs every check over a configuration snapshot and keeps the findings per object, so that a
 * change to a few Istio objects is revalidated by rechecking only the objects it can affect.
 */
export class Validator {
  readonly index: MeshIndex;
  private readonly byObject = new Map<string, Finding[]>();
  /** values shared across runs, with the kinds whose change invalidates them */
  private readonly memos = new Map<string, { value: unknown; dependsOn: readonly IstioKind[] }>();
  private readonly suppressed: ReturnType<typeof createSuppressor>;

  constructor(snapshot: ConfigSnapshot, options: ValidationOptions = {}) {
    this.index = new MeshIndex(snapshot);
    this.suppressed = createSuppressor(options.ignore);
    this.run(allSubjects(this.index));
  }

  /** Every finding, object by object. */
  findings(): Finding[] {
    const result: Finding[] = [];
    for (const findings of this.byObject.values()) result.push(...findings);
    return result;
  }

  findingsOf(object: FindingObject): Finding[] {
    return this.byObject.get(objectKey(object.kind, object.namespace, object.name)) ?? [];
  }

  /**
   * Applies a change to Istio objects and rechecks the objects it can affect (the changed ones,
   * those sharing a host with them, those referencing them). Returns how many were rechecked.
   */
  apply(change: ConfigChange): number {
    const { index } = this;
    const touched = new Map<string, IstioObject | undefined>();
    const before = (object: IstioObject | undefined) => {
      if (!object) return;
      for (const affected of this.affectedBy(object))
        touched.set(objectKey(affected.kind, affected.namespace, affected.name), affected);
    };
    const kinds = new Set<IstioKind>(
      [...(change.upsert ?? []), ...(change.removed ?? [])].map((object) => object.kind),
    );
    for (const [key, memo] of this.memos)
      if (memo.dependsOn.some((kind) => kinds.has(kind))) this.memos.delete(key);
    for (const object of change.upsert ?? []) before(index.get(object.kind, object.namespace, object.name));
    for (const removed of change.removed ?? [])
      before(index.get(removed.kind, removed.namespace, removed.name));
    for (const removed of change.removed ?? []) {
      const current = index.get(removed.kind, removed.namespace, removed.name);
      if (current) index.remove(current);
    }
    for (const object of change.upsert ?? []) index.add(object);
    for (const object of change.upsert ?? []) before(object);
    const subjects: Subject[] = [];
    for (const [key, object] of touched) {
      const current = object && index.get(object.kind, object.namespace, object.name);
      if (current) subjects.push(istioSubject(current));
      else this.byObject.delete(key);
    }
    this.run(subjects);
    return subjects.length;
  }

  /**
   * The findings `objects` would have if applied (what an editor shows before saving); the
   * validator's state is left as it was.
   */
  preview(objects: readonly IstioObject[]): Finding[] {
    const { index } = this;
    const previous = objects.map((object) => index.get(object.kind, object.namespace, object.name));
    this.apply({ upsert: objects });
    const findings = objects.flatMap((object) => this.findingsOf(object));
    this.apply({
      upsert: previous.filter((object): object is IstioObject => object !== undefined),
      removed: objects.filter((_, position) => previous[position] === undefined),
    });
    return findings;
  }

  private run(subjects: Iterable<Subject>): void {
    const { memos } = this;
    let current: Finding[] = [];
    const context: CheckContext = {
      index: this.index,
      report: (object, input) => current.push(buildFinding(object, input)),
      memo: <T>(key: string, dependsOn: readonly IstioKind[], compute: () => T): T => {
        const memo = memos.get(key);
        if (memo) return memo.value as T;
        const value = compute();
        memos.set(key, { value, dependsOn });
        return value;
      },
    };
    for (const subject of subjects) {
      current = [];
      for (const checker of checkersByKind.get(subject.kind) ?? []) checker.check(subject.value, context);
      const ours = new Set(
        current.filter((f) => f.code !== 'istiod.validation-message').map((f) => f.istioCode),
      );
      const kept = current.filter(
        (finding) =>
          !(finding.code === 'istiod.validation-message' && ours.has(finding.istioCode)) &&
          !this.suppressed(finding, subject.annotations),
      );
      if (kept.length > 0) this.byObject.set(subject.key, kept);
      else this.byObject.delete(subject.key);
    }
  }

  /** Istio objects whose findings may change when `object` changes (itself included). */
  private affectedBy(object: IstioObject): Set<IstioObject> {
    const { index } = this;
    const result = new Set<IstioObject>([object]);
    const addAll = (objects: Iterable<IstioObject>) => {
      for (const item of objects) result.add(item);
    };
    const hostsOf = (kind: 'hosts' | 'host') =>
      (kind === 'hosts' ? texts(object.spec.hosts) : [text(object.spec.host) ?? '']).map((host) =>
        index.fqdn(host, object.namespace),
      );
    switch (object.kind) {
      case 'VirtualService':
        for (const host of hostsOf('hosts')) addAll(index.meshVirtualServicesByHost.overlapping(host));
        for (const destination of destinationsOf(object)) {
          addAll(index.virtualServicesByDestination.exactly(index.fqdn(destination.host, object.namespace)));
        }
        addAll(index.objectsOf('AuthorizationPolicy'));
        break;
      case 'DestinationRule':
        for (const host of hostsOf('host')) {
          addAll(index.virtualServicesByDestination.overlapping(host));
          addAll(index.destinationRulesByHost.overlapping(host));
        }
        addAll(index.objectsOf('PeerAuthentication'));
        break;
      case 'Gateway':
        addAll(index.virtualServicesByGateway.get(`${object.namespace}/${object.name}`) ?? []);
        addAll(index.objectsOf('Gateway'));
        addAll(index.objectsOf('AuthorizationPolicy'));
        break;
      case 'ServiceEntry':
        for (const host of hostsOf('hosts')) {
          addAll(index.serviceEntriesByHost.overlapping(host));
          addAll(index.virtualServicesByDestination.overlapping(host));
          addAll(index.destinationRulesByHost.overlapping(host));
          if (isWildcardHost(host)) addAll(index.objectsOf('VirtualService'));
        }
        addAll(index.objectsOf('Sidecar'));
        addAll(index.objectsOf('AuthorizationPolicy'));
        break;
      case 'Sidecar':
        addAll(index.objectsOf('Sidecar', object.namespace));
        break;
      case 'PeerAuthentication':
        addAll(index.objectsOf('PeerAuthentication'));
        for (const rule of index.objectsOf('DestinationRule')) {
          if (text(record(record(rule.spec.trafficPolicy)?.tls)?.mode)) result.add(rule);
        }
        break;
      case 'WorkloadEntry':
        addAll(index.objectsOf('ServiceEntry', object.namespace));
        addAll(index.objectsOf('DestinationRule', object.namespace));
        break;
      default:
        break;
    }
    return result;
  }
}

/** Every finding of a snapshot (see `Validator` to revalidate after a change). */
export function validate(snapshot: ConfigSnapshot, options: ValidationOptions = {}): Finding[] {
  return new Validator(snapshot, options).findings();
}
