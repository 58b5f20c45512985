/**
 * The REST verbs on stored objects with kube-apiserver's semantics: server-owned metadata,
 * optimistic concurrency, generation, dry runs, schema validation, no-op writes that change nothing,
 * status and scale subresources, namespace cascade and owner-reference garbage collection.
 * HTTP framing lives in sim/server; this module only knows objects.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { crdProblems, establishedStatus, resourceTypeFromCrd } from './crd';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  preconditionResourceVersion,
} from './patch';
import type { ResourceRegistry } from './registry';
import { groupVersion, type ResourceType, resourceKey } from './resource-type';
import { StatusError, statusErrors } from './status-error';
import { type ListPosition, listPosition, type ObjectStore } from './store';
import { isPlainObject, type KubeObject } from './types';
import { type SchemaValidator, validateName } from './validation';

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** the version the client addressed, for managedFields and error messages */
  version?: string;
  /** internal writers (controllers, scenarios) may set status and skip admission checks */
  system?: boolean;
}

export interface ListPageOptions {
  /** the position of the previous page's last object; the page starts after it */
  after?: ListPosition;
  /** the most objects to return; 0 for no limit */
  limit: number;
  /** label and field selectors; undefined when the list has none */
  matches?: (object: KubeObject) => boolean;
}

export interface ListPage {
  items: KubeObject[];
  /** whether matching objects follow this page */
  more: boolean;
  /**
   * how many objects follow this page, when it is known: only with more to come and no selector
   * (as kube-apiserver's `remainingItemCount`)
   */
  remaining: number | undefined;
}

const generateNameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Allocates service cluster IPs from 10.96.0.0/16, as the API server's service IP allocator does. */
class ClusterIpAllocator {
  private next = 10;

  allocate(): string {
    this.next += 1;
    return `10.96.${Math.floor(this.next / 250)}.${(this.next % 250) + 1}`;
  }
}

export class ClusterOperations {
  private readonly clusterIps = new ClusterIpAllocator();

  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly validator: SchemaValidator,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(key(type), scope(type, namespace), name);
    if (!found) throw statusErrors.notFound(type.plural, type.group, name);
    return found;
  }

  list(type: ResourceType, namespace: string | undefined): { items: KubeObject[]; resourceVersion: string } {
    return {
      items: this.store.list(key(type), scope(type, namespace)),
      resourceVersion: String(this.store.resourceVersion),
    };
  }

  /**
   * One page of a list, in list order: up to `limit` matching objects after `after`. Reads only as
   * far as the page needs (plus the gap to the next match, to tell whether there is one).
   */
  listPage(type: ResourceType, namespace: string | undefined, options: ListPageOptions): ListPage {
    const { after, limit, matches } = options;
    const resource = key(type);
    const scoped = scope(type, namespace);
    const items: KubeObject[] = [];
    let more = false;
    for (const object of this.store.listAfter(resource, scoped, after)) {
      if (matches && !matches(object)) continue;
      if (limit > 0 && items.length === limit) {
        more = true;
        break;
      }
      items.push(object);
    }
    const last = items[items.length - 1];
    const remaining =
      more && !matches && last ? this.store.countAfter(resource, scoped, listPosition(last)) : undefined;
    return { items, more, remaining };
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const object = this.checkBody(type, body, options);
    const metadata = { ...object.metadata };
    if (type.namespaced) {
      if (metadata.namespace && namespace && metadata.namespace !== namespace) {
        throw statusErrors.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      metadata.namespace = namespace ?? metadata.namespace ?? 'default';
      if (!this.store.get(resourceKey('', 'namespaces'), undefined, metadata.namespace)) {
        throw statusErrors.notFound('namespaces', '', metadata.namespace);
      }
    } else {
      delete metadata.namespace;
    }
    if (!metadata.name && typeof metadata.generateName === 'string')
      metadata.name = metadata.generateName + randomSuffix();
    const name = metadata.name ?? '';
    this.rejectInvalid(type, { ...object, metadata: { ...metadata, name } }, name);
    if (this.store.get(key(type), metadata.namespace, name))
      throw statusErrors.alreadyExists(type.plural, type.group, name);

    const stamp = this.timestamp();
    const created: KubeObject = {
      ...object,
      metadata: {
        ...metadata,
        name,
        uid: randomUUID(),
        creationTimestamp: stamp,
        managedFields: managedFieldsEntry(options, type, 'Update', stamp),
      },
    };
    delete created.metadata.resourceVersion;
    delete created.metadata.deletionTimestamp;
    if (type.hasGeneration || !type.builtIn) created.metadata.generation = 1;
    if (!options.system && type.subresources.includes('status') && !type.builtIn) delete created.status;
    this.admit(type, created);
    if (options.dryRun) return created;
    created.metadata.resourceVersion = String(this.store.nextResourceVersion());
    this.store.put(key(type), created, 'ADDED');
    this.afterWrite(type, created);
    return created;
  }

  /** PUT of the whole object (or of its status with `subresource: 'status'`). */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions & { subresource?: 'status' } = {},
  ): KubeObject {
    const incoming = this.checkBody(type, body, options);
    const current = this.get(type, namespace, name);
    if (incoming.metadata.name && incoming.metadata.name !== name) {
      throw statusErrors.badRequest(
        `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const requested = incoming.metadata.resourceVersion;
    if (!requested && !type.builtIn && !options.system) {
      throw statusErrors.invalid(type.kind, type.group, name, [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          message: 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
        },
      ]);
    }
    if (requested && requested !== current.metadata.resourceVersion)
      throw statusErrors.conflict(type.plural, type.group, name);
    return this.commitUpdate(type, current, incoming, options);
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options: WriteOptions & { subresource?: 'status'; force?: boolean } = {},
  ): { object: KubeObject; created: boolean } {
    if (patchType === 'strategic' && !type.builtIn) {
      throw statusErrors.unsupportedMediaType([
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
      ]);
    }
    if (patchType === 'apply' && !options.fieldManager) {
      throw statusErrors.badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    }
    const current = this.store.get(key(type), scope(type, namespace), name);
    if (!current) {
      if (patchType !== 'apply') throw statusErrors.notFound(type.plural, type.group, name);
      const body = isPlainObject(patch)
        ? { ...patch, metadata: { ...(isPlainObject(patch.metadata) ? patch.metadata : {}), name } }
        : patch;
      return { object: this.create(type, namespace, body, options), created: true };
    }
    const precondition = patchType === 'json' ? undefined : preconditionResourceVersion(patch);
    if (precondition && precondition !== current.metadata.resourceVersion)
      throw statusErrors.conflict(type.plural, type.group, name);
    const base = this.present(type, options.version ?? preferredVersion(type), current);
    const patched = applyPatch(patchType, base, patch);
    if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) {
      throw statusErrors.unprocessable('the patch produced an object without metadata');
    }
    const incoming = patched as KubeObject;
    if (incoming.metadata.name !== name)
      throw statusErrors.badRequest('the name of a patched object cannot change');
    return { object: this.commitUpdate(type, current, incoming, options), created: false };
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions & { preconditions?: { resourceVersion?: string; uid?: string } } = {},
  ): KubeObject {
    const current = this.get(type, namespace, name);
    const preconditions = options.preconditions ?? {};
    if (preconditions.uid && preconditions.uid !== current.metadata.uid) {
      throw new StatusError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) {
      throw statusErrors.conflict(type.plural, type.group, name);
    }
    if (options.dryRun) return current;
    this.removeObject(type, current);
    return current;
  }

  /** The object as a client addressing GROUP/VERSION sees it. */
  present(type: ResourceType, version: string, object: KubeObject): KubeObject {
    return { ...object, apiVersion: groupVersion(type.group, version), kind: type.kind };
  }

  /** Write the object as a system component (scenario loader, controllers): create or replace. */
  upsertSystem(type: ResourceType, object: KubeObject): KubeObject {
    const existing = this.store.get(
      key(type),
      scope(type, object.metadata.namespace),
      object.metadata.name ?? '',
    );
    if (!existing)
      return this.create(type, object.metadata.namespace, object, {
        system: true,
        fieldManager: 'meshscope-sim',
      });
    return this.commitUpdate(
      type,
      existing,
      { ...object, metadata: { ...existing.metadata, ...object.metadata } },
      { system: true },
    );
  }

  private commitUpdate(
    type: ResourceType,
    current: KubeObject,
    incoming: KubeObject,
    options: WriteOptions & { subresource?: 'status' },
  ): KubeObject {
    const name = current.metadata.name ?? '';
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...current, status: incoming.status };
    } else {
      next = { ...incoming, metadata: { ...incoming.metadata } };
      if (!options.system && type.subresources.includes('status')) {
        if (current.status === undefined) delete next.status;
        else next.status = current.status;
      }
    }
    next.metadata = {
      ...next.metadata,
      name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
      managedFields: current.metadata.managedFields,
    };
    if (type.namespaced) next.metadata.namespace = current.metadata.namespace;
    else delete next.metadata.namespace;
    if (current.metadata.generation !== undefined) next.metadata.generation = current.metadata.generation;
    else delete next.metadata.generation;
    delete next.apiVersion;
    delete next.kind;
    const stored = { ...current };
    delete stored.apiVersion;
    delete stored.kind;
    if (isDeepStrictEqual(stored, next)) return current;

    if (!options.system) this.rejectInvalid(type, next, name);
    if (
      next.metadata.generation !== undefined &&
      options.subresource !== 'status' &&
      specChanged(current, next)
    ) {
      next.metadata.generation = next.metadata.generation + 1;
    }
    const stamp = this.timestamp();
    next.metadata.managedFields = mergeManagedFields(
      current.metadata.managedFields,
      managedFieldsEntry(options, type, 'Update', stamp),
    );
    this.admit(type, next);
    if (options.dryRun) return next;
    next.metadata.resourceVersion = String(this.store.nextResourceVersion());
    this.store.put(key(type), next, 'MODIFIED');
    this.afterWrite(type, next);
    return next;
  }

  private removeObject(type: ResourceType, object: KubeObject): void {
    const deleted: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.store.nextResourceVersion()) },
    };
    this.store.remove(key(type), deleted);
    if (type.group === '' && type.plural === 'namespaces') this.cascadeNamespace(object.metadata.name ?? '');
    if (type.group === 'apiextensions.k8s.io' && type.plural === 'customresourcedefinitions') {
      const defined = resourceTypeFromCrd(object);
      this.store.dropResource(resourceKey(defined.group, defined.plural));
      this.registry.unregister(defined.group, defined.plural);
    }
    this.collectDependents(object.metadata.uid);
  }

  private cascadeNamespace(namespace: string): void {
    for (const type of this.registry.all()) {
      if (!type.namespaced) continue;
      for (const object of this.store.list(key(type), namespace)) {
        // an earlier removal may have collected it already
        if (this.store.get(key(type), namespace, object.metadata.name ?? '')) this.removeObject(type, object);
      }
    }
  }

  /** Background garbage collection: objects owned by a deleted object go too. */
  private collectDependents(ownerUid: string | undefined): void {
    if (!ownerUid) return;
    for (const dependent of this.store.dependentsOf(ownerUid)) {
      const type = this.typeOf(dependent.resource);
      const object = this.store.get(dependent.resource, dependent.namespace, dependent.name);
      if (type && object) this.removeObject(type, object);
    }
  }

  /** The registered type a resourceKey() names (`group/plural`; neither part contains a slash). */
  private typeOf(resource: string): ResourceType | undefined {
    const slash = resource.indexOf('/');
    return this.registry.get(resource.slice(0, slash), resource.slice(slash + 1));
  }

  private checkBody(type: ResourceType, body: unknown, options: WriteOptions): KubeObject {
    if (!isPlainObject(body)) throw statusErrors.badRequest('the body of the request was not a JSON object');
    const metadata = isPlainObject(body.metadata) ? body.metadata : {};
    if (!options.system && body.kind !== undefined && body.kind !== type.kind) {
      throw statusErrors.badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${groupVersion(type.group, options.version ?? preferredVersion(type))})`,
      );
    }
    if (!options.system && typeof body.apiVersion === 'string') {
      const [group, version] = body.apiVersion.includes('/')
        ? body.apiVersion.split('/')
        : ['', body.apiVersion];
      if (group !== type.group || !type.versions.some((candidate) => candidate.name === version)) {
        throw statusErrors.badRequest(
          `the API version in the data (${body.apiVersion}) does not match the expected API version (${groupVersion(type.group, options.version ?? preferredVersion(type))})`,
        );
      }
    }
    return { ...body, metadata: { ...metadata } } as KubeObject;
  }

  private rejectInvalid(type: ResourceType, object: KubeObject, name: string): void {
    const causes = validateName(type, name);
    if (!type.builtIn) {
      const schema = type.versions.find((version) => version.storage)?.schema ?? type.versions[0]?.schema;
      causes.push(...this.validator.validate(schema, object));
    }
    if (type.group === 'apiextensions.k8s.io' && type.plural === 'customresourcedefinitions') {
      causes.push(...crdProblems(object).map((problem) => ({ reason: 'FieldValueInvalid', ...problem })));
    }
    if (causes.length > 0) throw statusErrors.invalid(type.kind, type.group, name, causes);
  }

  /** Admission: what kube-apiserver fills in on write. */
  private admit(type: ResourceType, object: KubeObject): void {
    if (type.group === 'apiextensions.k8s.io' && type.plural === 'customresourcedefinitions') {
      object.status = establishedStatus(object, this.timestamp());
    }
    if (type.group === '' && type.plural === 'services' && isPlainObject(object.spec)) {
      const spec = object.spec;
      if (spec.clusterIP === undefined || spec.clusterIP === '') {
        const address = spec.type === 'ExternalName' ? 'None' : this.clusterIps.allocate();
        object.spec = { type: 'ClusterIP', ...spec, clusterIP: address, clusterIPs: [address] };
      }
    }
    if (type.group === '' && type.plural === 'namespaces' && !isPlainObject(object.status)) {
      object.status = { phase: 'Active' };
      const name = object.metadata.name ?? '';
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': name };
    }
  }

  private afterWrite(type: ResourceType, object: KubeObject): void {
    if (type.group === 'apiextensions.k8s.io' && type.plural === 'customresourcedefinitions') {
      const defined = resourceTypeFromCrd(object);
      const previous = this.registry.get(defined.group, defined.plural);
      this.registry.register(defined);
      if (previous && previous.kind !== defined.kind)
        this.store.dropResource(resourceKey(defined.group, defined.plural));
    }
  }

  private timestamp(): string {
    return `${this.now().toISOString().slice(0, 19)}Z`;
  }
}

function key(type: ResourceType): string {
  return resourceKey(type.group, type.plural);
}

function scope(type: ResourceType, namespace: string | undefined): string | undefined {
  return type.namespaced ? namespace : undefined;
}

export function preferredVersion(type: ResourceType): string {
  return type.versions.find((version) => version.served)?.name ?? 'v1';
}

function applyPatch(patchType: PatchType, base: KubeObject, patch: unknown): unknown {
  switch (patchType) {
    case 'json':
      return applyJsonPatch(base, patch);
    case 'strategic':
      return applyStrategicMergePatch(base, patch);
    case 'merge':
    case 'apply':
      return applyMergePatch(base, patch);
  }
}

/** Anything outside metadata and status changed (what bumps metadata.generation). */
function specChanged(before: KubeObject, after: KubeObject): boolean {
  const strip = (object: KubeObject) => {
    const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
    return rest;
  };
  return !isDeepStrictEqual(strip(before), strip(after));
}

function randomSuffix(): string {
  let suffix = '';
  for (let index = 0; index < 5; index += 1) {
    suffix += generateNameAlphabet[Math.floor(Math.random() * generateNameAlphabet.length)] ?? 'x';
  }
  return suffix;
}

function managedFieldsEntry(
  options: WriteOptions,
  type: ResourceType,
  operation: string,
  time: string,
): unknown[] {
  return [
    {
      manager: options.fieldManager ?? 'unknown',
      operation,
      apiVersion: groupVersion(type.group, options.version ?? preferredVersion(type)),
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    },
  ];
}

function mergeManagedFields(existing: unknown[] | undefined, entries: unknown[]): unknown[] {
  const managerOf = (entry: unknown) => (isPlainObject(entry) ? entry.manager : undefined);
  const incoming = new Set(entries.map(managerOf));
  return [...(existing ?? []).filter((entry) => !incoming.has(managerOf(entry))), ...entries];
}

export { StatusError };
