import 'server-only';
import { AppError } from '../errors';
import type { Cluster } from '../kube/cluster';
import { audit } from './audit';
import { type ObjectTarget, readObject, type StoredObject } from './safe-write';

/**
 * Creating an object the safe-writes way (DESIGN.md §3): a server dry run first, then the create;
 * an object of that name that appeared meanwhile is a conflict carrying it, never overwritten.
 * Every attempt leaves one audit record, like safePatch's.
 */

export interface SafeCreateRequest {
  target: ObjectTarget;
  /** the whole object, `metadata.name` and `metadata.namespace` matching the target */
  body: Record<string, unknown>;
  actor: string;
  dryRun?: boolean;
}

const fieldManager = 'meshscope';

export async function safeCreate(
  cluster: Cluster,
  request: SafeCreateRequest,
): Promise<{ object: StoredObject; dryRun: boolean }> {
  const { target } = request;
  const record = (
    result: 'applied' | 'dry-run' | 'conflict' | 'rejected' | 'forbidden' | 'failed',
    after?: StoredObject,
    message?: string,
  ) =>
    audit({
      time: new Date().toISOString(),
      actor: request.actor,
      object: { group: target.group, kind: target.kind, namespace: target.namespace, name: target.name },
      changes: [{ path: '', before: undefined, after: request.body }],
      resourceVersionBefore: '',
      ...(after && result === 'applied' ? { resourceVersionAfter: after.metadata.resourceVersion } : {}),
      result,
      ...(message ? { message } : {}),
    });
  const create = (dryRun: boolean) =>
    cluster.call(() =>
      cluster.custom.createNamespacedCustomObject({
        group: target.group,
        version: target.version,
        namespace: target.namespace,
        plural: target.plural,
        body: request.body,
        fieldManager,
        ...(dryRun ? { dryRun: 'All' } : {}),
      }),
    ) as Promise<StoredObject>;
  try {
    const checked = await create(true);
    if (request.dryRun) {
      record('dry-run', checked);
      return { object: checked, dryRun: true };
    }
    const created = await create(false);
    record('applied', created);
    return { object: created, dryRun: false };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'conflict:kube') {
      const current = await readObject(cluster, target).catch(() => undefined);
      const message = `${target.kind} ${target.namespace}/${target.name} was created by someone else meanwhile.`;
      record('conflict', undefined, message);
      throw new AppError('conflict:resource-version', message, {
        cause: error,
        ...(current ? { details: { current } } : {}),
      });
    }
    record(
      error.code === 'forbidden:kube' ? 'forbidden' : error.code === 'invalid:kube' ? 'rejected' : 'failed',
      undefined,
      error.message,
    );
    if (error.code === 'forbidden:kube') {
      throw new AppError(
        'forbidden:kube',
        `You may not create ${target.kind} ${target.namespace}/${target.name}: ${error.message}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
