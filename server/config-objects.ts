import 'server-only';
import { countsByObject, emptyCounts } from '@/lib/istio-config/counts';
import { type ConfigPatchOperation, configPatch } from '@/lib/istio-config/editable';
import { ISTIO_KINDS } from '@/lib/istio-config/kinds';
import { referencesOf, referrersOf } from '@/lib/istio-config/references';
import type { ApiWarning } from '@/lib/types/api';
import type {
  ConfigAccess,
  ConfigListResponse,
  ConfigObjectResponse,
  ConfigPutRequest,
  ConfigPutResponse,
  ConfigSchemaResponse,
} from '@/lib/types/config';
import type { IstioKind, IstioObject } from '@/lib/types/mesh-config';
import { writeOwner } from '@/lib/writes/ownership';
import { CACHE_KINDS, type CacheKind, KIND_SPECS } from './cache/kinds';
import { getConfig } from './config';
import { dataAsOf } from './config-snapshot';
import { AppError } from './errors';
import { type Cluster, getCluster } from './kube/cluster';
import { logger } from './logger';
import { getValidationService, type ValidationService } from './validations';
import { canI } from './writes/access-review';
import { type ObjectTarget, readObject, type StoredObject, safePatch } from './writes/safe-write';

/**
 * The Istio config views' server side: the list with finding counts, one object with its
 * findings, references both ways and whether the caller may edit it, its CRD schema, and saving an
 * edit through the safe-write path (dry run, resourceVersion-tested JSON patch of spec, labels and
 * annotations only, audit record).
 */

export interface ConfigContext {
  cluster: Cluster;
  /** who asks, for audit records: the identity's user name, never a credential */
  actor: string;
  readOnly: boolean;
  validation: ValidationService;
}

/** The process's cluster, identity (the kubeconfig's user until per-user identity arrives) and validation. */
export function configContext(): ConfigContext {
  const cluster = getCluster();
  return {
    cluster,
    actor: cluster.user || 'kubeconfig user',
    readOnly: getConfig().readOnly,
    validation: getValidationService(),
  };
}

export const READ_ONLY_REASON =
  'Meshscope runs read-only (--read-only or MESHSCOPE_READ_ONLY), so it changes nothing in the cluster.';

const CACHE_OF_KIND = new Map<string, CacheKind>(
  CACHE_KINDS.filter((kind) => KIND_SPECS[kind].istio).map((kind) => [KIND_SPECS[kind].kind, kind]),
);

function cacheKindOf(kind: IstioKind): CacheKind {
  const cacheKind = CACHE_OF_KIND.get(kind);
  if (!cacheKind) throw new AppError('invalid', `Unknown Istio kind ${kind}`);
  return cacheKind;
}

/** Where the object lives in the API: the version the caches read (chosen by discovery). */
function targetOf(context: ConfigContext, kind: IstioKind, namespace: string, name: string): ObjectTarget {
  const cacheKind = cacheKindOf(kind);
  const spec = KIND_SPECS[cacheKind];
  const apiVersion = context.validation.caches.cache(cacheKind).status().apiVersion;
  if (!apiVersion) {
    throw new AppError(
      'not-found',
      `The cluster does not serve ${kind} (${spec.group}): is Istio installed?`,
    );
  }
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  return { group: spec.group, version, plural: spec.plural, kind, namespace, name };
}

/** The object without `managedFields` (noise, and it names every writer's field manager). */
function withoutManagedFields(object: StoredObject): Record<string, unknown> {
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

function toIstio(object: Record<string, unknown>, kind: IstioKind): IstioObject {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const strings = (value: unknown) =>
    Object.fromEntries(
      Object.entries((value ?? {}) as Record<string, unknown>).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  const status = object.status as Record<string, unknown> | undefined;
  return {
    kind,
    apiVersion: String(object.apiVersion ?? ''),
    namespace: String(metadata.namespace ?? ''),
    name: String(metadata.name ?? ''),
    resourceVersion: String(metadata.resourceVersion ?? ''),
    labels: strings(metadata.labels),
    annotations: strings(metadata.annotations),
    spec: (object.spec ?? {}) as Record<string, unknown>,
    ...(status ? { status } : {}),
  };
}

/** `GET /api/config`: Istio objects of `namespaces` (all when empty) and `kind`, with finding counts. */
export async function listConfig(
  query: { namespaces: string[]; kind?: IstioKind },
  validation: ValidationService = getValidationService(),
): Promise<ConfigListResponse> {
  const warnings = await validation.refresh();
  const wanted = query.namespaces.length > 0 ? new Set(query.namespaces) : undefined;
  const counts = countsByObject(validation.findings(query.namespaces));
  const items = [...validation.objects()]
    .filter(
      (object) => (!wanted || wanted.has(object.namespace)) && (!query.kind || object.kind === query.kind),
    )
    .sort(
      (a, b) =>
        ISTIO_KINDS.indexOf(a.kind) - ISTIO_KINDS.indexOf(b.kind) ||
        a.namespace.localeCompare(b.namespace) ||
        a.name.localeCompare(b.name),
    )
    .map((object) => ({
      kind: object.kind,
      namespace: object.namespace,
      name: object.name,
      apiVersion: object.apiVersion,
      resourceVersion: object.resourceVersion,
      findings: counts.get(`${object.kind}/${object.namespace}/${object.name}`) ?? emptyCounts(),
    }));
  const kinds = ISTIO_KINDS.map((kind) => ({
    kind,
    installed: validation.caches.cache(cacheKindOf(kind)).status().state !== 'not-installed',
  }));
  return { asOf: dataAsOf(validation.caches.statuses()), items, kinds, warnings };
}

async function accessTo(
  context: ConfigContext,
  target: ObjectTarget,
  object: StoredObject,
): Promise<{ access: ConfigAccess; warnings: ApiWarning[] }> {
  if (context.readOnly) return { access: { editable: false, reason: READ_ONLY_REASON }, warnings: [] };
  const owner = writeOwner(object.metadata as Parameters<typeof writeOwner>[0]);
  if (owner) {
    return { access: { editable: false, reason: owner.reason, owner: owner.owner }, warnings: [] };
  }
  try {
    const answer = await canI(context.cluster, {
      verb: 'patch',
      group: target.group,
      resource: target.plural,
      namespace: target.namespace,
      name: target.name,
    });
    return answer.allowed
      ? { access: { editable: true }, warnings: [] }
      : {
          access: {
            editable: false,
            reason: `Your Kubernetes identity (${context.actor}) may not patch ${target.kind}s in namespace ${target.namespace}, so the object is shown read-only.`,
          },
          warnings: [],
        };
  } catch (error) {
    // The API server authorizes the write itself; not knowing beforehand only costs a clearer message.
    logger.warn({ err: error }, 'SelfSubjectAccessReview failed');
    const message = error instanceof AppError ? error.message : 'the access review failed';
    return {
      access: { editable: true },
      warnings: [
        {
          source: 'kube',
          message: `Could not ask the cluster what you may change (${message}); a save may be refused.`,
        },
      ],
    };
  }
}

/** `GET /api/config/KIND/NAMESPACE/NAME`: the stored object, its findings, references and access. */
export async function getConfigObject(
  context: ConfigContext,
  kind: IstioKind,
  namespace: string,
  name: string,
): Promise<ConfigObjectResponse> {
  const warnings = await context.validation.refresh();
  const target = targetOf(context, kind, namespace, name);
  const stored = await readObject(context.cluster, target);
  const object = withoutManagedFields(stored);
  const { validation } = context;
  // Findings and references are those of the validated (cached) version; the watch is seconds behind at most.
  const validated = validation.object(kind, namespace, name) ?? toIstio(object, kind);
  const { access, warnings: accessWarnings } = await accessTo(context, target, stored);
  return {
    kind,
    namespace,
    name,
    object,
    resourceVersion: stored.metadata.resourceVersion,
    findings: validation.findingsOf({ kind, namespace, name }),
    references: referencesOf(validation.index, validated),
    referencedBy: referrersOf(validation.index, validated),
    access,
    warnings: [...warnings, ...accessWarnings],
  };
}

/** The current object in a conflict's details, without managedFields, as the editor shows it. */
function cleanConflict(error: unknown): never {
  if (error instanceof AppError && error.code === 'conflict:resource-version') {
    const current = error.details?.current as StoredObject | undefined;
    throw new AppError(error.code, error.message, {
      cause: error,
      details: current ? { current: withoutManagedFields(current) } : {},
    });
  }
  throw error;
}

/**
 * `PUT /api/config/KIND/NAMESPACE/NAME`: the edit as a JSON patch of spec, labels and annotations
 * against the stored object, written through safePatch (dry run first; `dryRun` stops there).
 */
export async function putConfigObject(
  context: ConfigContext,
  kind: IstioKind,
  namespace: string,
  name: string,
  request: ConfigPutRequest,
): Promise<ConfigPutResponse> {
  if (context.readOnly) throw new AppError('forbidden:read-only', READ_ONLY_REASON);
  await context.validation.refresh();
  const target = targetOf(context, kind, namespace, name);
  const stored = await readObject(context.cluster, target);
  const owner = writeOwner(stored.metadata as Parameters<typeof writeOwner>[0]);
  if (owner) throw new AppError('conflict:owner', owner.reason, { details: { owner: owner.owner } });
  if (stored.metadata.resourceVersion !== request.resourceVersion) {
    // safePatch says so with the current object; reading it again there keeps one code path.
    await safePatch(context.cluster, {
      target,
      resourceVersion: request.resourceVersion,
      operations: [],
      actor: context.actor,
      dryRun: true,
    }).catch(cleanConflict);
  }
  const patch = configPatch(stored, request.object);
  if (!patch.ok) {
    throw new AppError('invalid', `The edited object cannot be saved: ${patch.problems.join('; ')}`, {
      details: { problems: patch.problems },
    });
  }
  if (patch.operations.length === 0) {
    throw new AppError(
      'invalid:unchanged',
      'Nothing to save: the spec, labels and annotations are as stored.',
    );
  }
  const result = await safePatch(context.cluster, {
    target,
    resourceVersion: request.resourceVersion,
    operations: patch.operations satisfies ConfigPatchOperation[],
    actor: context.actor,
    dryRun: request.dryRun === true,
  }).catch(cleanConflict);
  const written = withoutManagedFields(result.object);
  return {
    dryRun: result.dryRun,
    object: written,
    resourceVersion: result.resourceVersion,
    operations: patch.operations,
    findings: context.validation.preview([toIstio(written, kind)]),
  };
}

/** `GET /api/schemas/KIND`: the CRD schema of the version the dashboard reads (or `apiVersion`). */
export async function getConfigSchema(
  kind: IstioKind,
  apiVersion: string | undefined,
  validation: ValidationService = getValidationService(),
): Promise<ConfigSchemaResponse> {
  await validation.refresh();
  const cacheKind = cacheKindOf(kind);
  const served = validation.caches.cache(cacheKind).status().apiVersion;
  const found = validation.schemaRegistry.schemaFor(kind, apiVersion ?? served);
  if (!found) {
    throw new AppError(
      'not-found',
      `The cluster has no schema for ${kind}${apiVersion ? ` ${apiVersion}` : ''}.`,
    );
  }
  return { kind, apiVersion: found.apiVersion, schema: found.schema };
}
