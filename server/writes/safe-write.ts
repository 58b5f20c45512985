import 'server-only';
import { AppError } from '../errors';
import type { Cluster } from '../kube/cluster';
import { type AuditRecord, audit } from './audit';

/**
 * Safe writes (DESIGN.md §3): a change is read-checked, dry-run, then applied as one JSON patch
 * that first tests the resourceVersion the user read, touching only the paths the user changed.
 * Anyone else's edit in between makes it a conflict that carries the current object, never a lost
 * update. Every attempt leaves one audit record.
 */

export interface ObjectTarget {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  /** JSON pointer, e.g. `/spec/http/0/route/1/weight` */
  path: string;
  value?: unknown;
}

export interface SafeWriteRequest {
  target: ObjectTarget;
  /** the resourceVersion the user's change is based on */
  resourceVersion: string;
  operations: PatchOperation[];
  /** who asks, for the audit record */
  actor: string;
  dryRun?: boolean;
}

export type StoredObject = Record<string, unknown> & {
  metadata: { name: string; namespace: string; resourceVersion: string; [key: string]: unknown };
};

export interface SafeWriteResult {
  object: StoredObject;
  resourceVersion: string;
  dryRun: boolean;
}

const fieldManager = 'meshscope';

function pointerGet(object: unknown, pointer: string): unknown {
  let current: unknown = object;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Whether `pointer` names a position in an array of `object` (`.../-` or an index). */
function isArrayInsert(object: unknown, pointer: string): boolean {
  const slash = pointer.lastIndexOf('/');
  return pointer.endsWith('/-') || Array.isArray(pointerGet(object, pointer.slice(0, slash)));
}

export async function readObject(cluster: Cluster, target: ObjectTarget): Promise<StoredObject> {
  const object = await cluster.call(() =>
    cluster.custom.getNamespacedCustomObject({
      group: target.group,
      version: target.version,
      namespace: target.namespace,
      plural: target.plural,
      name: target.name,
    }),
  );
  return object as StoredObject;
}

function conflict(target: ObjectTarget, current: StoredObject, requested: string): AppError {
  return new AppError(
    'conflict:resource-version',
    `${target.kind} ${target.namespace}/${target.name} changed since you read it (your version ${requested}, now ${current.metadata.resourceVersion}).`,
    { details: { current } },
  );
}

/** Apply `operations` to the object if it is still at `resourceVersion`; a dry run changes nothing. */
export async function safePatch(cluster: Cluster, request: SafeWriteRequest): Promise<SafeWriteResult> {
  const { target } = request;
  const objectRef = {
    group: target.group,
    kind: target.kind,
    namespace: target.namespace,
    name: target.name,
  };
  const record = (
    result: AuditRecord['result'],
    before: StoredObject | undefined,
    after?: StoredObject,
    message?: string,
  ) =>
    audit({
      time: new Date().toISOString(),
      actor: request.actor,
      object: objectRef,
      changes: request.operations
        .filter((operation) => operation.op !== 'test')
        .map((operation) => {
          // An `add` into an array inserts: nothing was there before, and the value is what was added.
          const inserts = operation.op === 'add' && isArrayInsert(before, operation.path);
          return {
            path: operation.path,
            before: inserts ? undefined : pointerGet(before, operation.path),
            after: after && !inserts ? pointerGet(after, operation.path) : operation.value,
          };
        }),
      resourceVersionBefore: request.resourceVersion,
      ...(after && result === 'applied' ? { resourceVersionAfter: after.metadata.resourceVersion } : {}),
      result,
      ...(message ? { message } : {}),
    });

  const current = await readObject(cluster, target);
  if (current.metadata.resourceVersion !== request.resourceVersion) {
    const error = conflict(target, current, request.resourceVersion);
    record('conflict', current, undefined, error.message);
    throw error;
  }
  const body = [
    { op: 'test', path: '/metadata/resourceVersion', value: request.resourceVersion },
    ...request.operations,
  ];
  const patch = (dryRun: boolean) =>
    cluster.call(() =>
      cluster.custom.patchNamespacedCustomObject({
        group: target.group,
        version: target.version,
        namespace: target.namespace,
        plural: target.plural,
        name: target.name,
        body,
        fieldManager,
        ...(dryRun ? { dryRun: 'All' } : {}),
      }),
    ) as Promise<StoredObject>;

  try {
    const checked = await patch(true);
    if (request.dryRun) {
      record('dry-run', current, checked);
      return { object: checked, resourceVersion: current.metadata.resourceVersion, dryRun: true };
    }
    const applied = await patch(false);
    record('applied', current, applied);
    return { object: applied, resourceVersion: applied.metadata.resourceVersion, dryRun: false };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // A failed `test` (422) or a 409 after our read: someone wrote in between. Say so with the new object.
    if (error.code === 'invalid:kube' || error.code === 'conflict:kube') {
      const latest = await readObject(cluster, target).catch(() => undefined);
      if (latest && latest.metadata.resourceVersion !== request.resourceVersion) {
        const conflicted = conflict(target, latest, request.resourceVersion);
        record('conflict', latest, undefined, conflicted.message);
        throw conflicted;
      }
    }
    const result =
      error.code === 'forbidden:kube' ? 'forbidden' : error.code === 'invalid:kube' ? 'rejected' : 'failed';
    record(result, current, undefined, error.message);
    if (error.code === 'forbidden:kube') {
      throw new AppError(
        'forbidden:kube',
        `You may not change ${target.kind} ${target.namespace}/${target.name}: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}
