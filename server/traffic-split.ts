import 'server-only';
import { stringify } from 'yaml';
import { type DestinationRuleTarget, destinationRuleTarget, SplitChecker } from '@/lib/traffic-split/check';
import { buildSplitPatch, buildSubsetPatch } from '@/lib/traffic-split/patch';
import { isWeighted, splitRoutes } from '@/lib/traffic-split/routes';
import type { ApiWarning } from '@/lib/types/api';
import type { IstioKind, IstioObject } from '@/lib/types/mesh-config';
import type {
  ObjectChange,
  SplitOwner,
  TrafficSplit,
  TrafficSplitChange,
  TrafficSplitHistory,
  TrafficSplitList,
  TrafficSplitResult,
  TrafficSplitSummary,
} from '@/lib/types/traffic-split';
import type { Finding } from '@/lib/types/validation';
import { Validator } from '@/lib/validation';
import { hostCovers, serviceOfFqdn, toFqdn } from '@/lib/validation/hosts';
import { isMeshBound } from '@/lib/validation/mesh-index';
import { labelMap, record, texts } from '@/lib/validation/spec';
import { writeOwner } from '@/lib/writes/ownership';
import { getConfig } from './config';
import { getConfigSnapshot, type SnapshotResult } from './config-snapshot';
import { AppError } from './errors';
import { type Cluster, getCluster } from './kube/cluster';
import { logger } from './logger';
import { canI } from './writes/access-review';
import { auditHistory } from './writes/audit';
import { safeCreate } from './writes/safe-create';
import { type ObjectTarget, readObject, type StoredObject, safePatch } from './writes/safe-write';

/**
 * The traffic-split editor's server side (DESIGN.md §3–4): reads a VirtualService's weighted routes
 * with whether the caller may change them, and writes a change the safe way — checked against the
 * mesh configuration, dry-run, then one JSON patch preconditioned on the resourceVersion the user
 * read, touching only weights (plus, when asked in the same step, a subset added to the host's
 * DestinationRule and a header rule in front of the route). A conflict answers with the split as
 * it is now, so the editor can show what changed and re-apply on top of it.
 */

export interface TrafficSplitContext {
  cluster: Cluster;
  /** who asks, for audit records: the identity's user name, never a credential */
  actor: string;
  /** the dashboard runs read-only (`--read-only`, MESHSCOPE_READ_ONLY) */
  readOnly: boolean;
  /** the configuration snapshot of some namespaces; default: the process's caches */
  snapshot?: (namespaces: string[]) => Promise<SnapshotResult>;
}

/** The process's cluster and identity (the kubeconfig's user until per-user identity arrives). */
export function trafficSplitContext(): TrafficSplitContext {
  const cluster = getCluster();
  return { cluster, actor: cluster.user || 'kubeconfig user', readOnly: getConfig().readOnly };
}

const NETWORKING = 'networking.istio.io';

export const READ_ONLY_REASON =
  'Meshscope runs read-only (--read-only or MESHSCOPE_READ_ONLY), so it changes nothing in the cluster.';

export function virtualServiceTarget(namespace: string, name: string): ObjectTarget {
  return {
    group: NETWORKING,
    version: 'v1',
    plural: 'virtualservices',
    kind: 'VirtualService',
    namespace,
    name,
  };
}

function ruleObjectTarget(rule: DestinationRuleTarget): ObjectTarget {
  return {
    group: NETWORKING,
    version: 'v1',
    plural: 'destinationrules',
    kind: 'DestinationRule',
    namespace: rule.namespace,
    name: rule.name,
  };
}

type Metadata = StoredObject['metadata'] & {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string }[];
  managedFields?: { manager?: string }[];
};

function metadataOf(object: StoredObject): Metadata {
  return object.metadata as Metadata;
}

/** The object's `spec`, or an empty one. */
export function specOf(object: StoredObject): Record<string, unknown> {
  return record(object.spec) ?? {};
}

/** A VirtualService or DestinationRule read from the API, as the validators take it. */
export function toIstioObject(object: StoredObject, kind: IstioKind): IstioObject {
  const metadata = metadataOf(object);
  return {
    namespace: metadata.namespace,
    name: metadata.name,
    kind,
    apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : `${NETWORKING}/v1`,
    resourceVersion: metadata.resourceVersion,
    labels: labelMap(metadata.labels),
    annotations: labelMap(metadata.annotations),
    spec: specOf(object),
  };
}

/** The object as YAML for people: without managedFields, status and the fields every write bumps. */
export function objectYaml(object: StoredObject | undefined): string {
  if (!object) return '';
  const { managedFields: _m, resourceVersion: _r, generation: _g, ...metadata } = metadataOf(object);
  const { status: _s, metadata: _metadata, ...rest } = object;
  const { apiVersion, kind, ...others } = rest;
  return stringify({ apiVersion, kind, metadata, ...others }, { lineWidth: 0 });
}

/** Namespaces whose configuration a check of this VirtualService needs: its own and its hosts'. */
function namespacesOf(object: StoredObject, change?: TrafficSplitChange): string[] {
  const namespace = metadataOf(object).namespace;
  const namespaces = new Set([namespace]);
  const hosts = splitRoutes(specOf(object)).flatMap((route) => route.destinations.map((d) => d.host));
  for (const route of change?.routes ?? []) hosts.push(...route.weights.map((entry) => entry.host));
  for (const host of hosts) {
    const service = serviceOfFqdn(toFqdn(host, namespace));
    if (service) namespaces.add(service.namespace);
  }
  return [...namespaces];
}

function readSnapshot(context: TrafficSplitContext, namespaces: string[]): Promise<SnapshotResult> {
  return context.snapshot ? context.snapshot(namespaces) : getConfigSnapshot(namespaces);
}

interface Access {
  editable: boolean;
  reason?: string;
  owner?: SplitOwner;
  canEditDestinationRules: boolean;
  warnings: ApiWarning[];
}

async function accessTo(context: TrafficSplitContext, object: StoredObject): Promise<Access> {
  const metadata = metadataOf(object);
  const owner = writeOwner(metadata);
  const ownerFields = owner
    ? { owner: { controller: owner.controller, owner: owner.owner, reason: owner.reason } }
    : {};
  if (context.readOnly)
    return {
      editable: false,
      reason: READ_ONLY_REASON,
      ...ownerFields,
      canEditDestinationRules: false,
      warnings: [],
    };
  if (owner)
    return {
      editable: false,
      reason: owner.reason,
      ...ownerFields,
      canEditDestinationRules: false,
      warnings: [],
    };
  const ask = (verb: string, resource: string, name?: string) =>
    canI(context.cluster, {
      verb,
      group: NETWORKING,
      resource,
      namespace: metadata.namespace,
      ...(name ? { name } : {}),
    });
  try {
    const [patch, patchRules, createRules] = await Promise.all([
      ask('patch', 'virtualservices', metadata.name),
      ask('patch', 'destinationrules'),
      ask('create', 'destinationrules'),
    ]);
    if (!patch.allowed) {
      return {
        editable: false,
        reason: `Your Kubernetes identity (${context.actor}) may not patch VirtualServices in namespace ${metadata.namespace}, so the weights are shown read-only.`,
        canEditDestinationRules: false,
        warnings: [],
      };
    }
    return {
      editable: true,
      canEditDestinationRules: patchRules.allowed && createRules.allowed,
      warnings: [],
    };
  } catch (error) {
    // The API server authorizes the write itself; not knowing beforehand only costs a clearer message.
    const message = error instanceof AppError ? error.message : 'the access review failed';
    logger.warn({ err: error }, 'SelfSubjectAccessReview failed');
    return {
      editable: true,
      canEditDestinationRules: true,
      warnings: [
        {
          source: 'kube',
          message: `Could not ask the cluster what you may change (${message}); a write may be refused.`,
        },
      ],
    };
  }
}

function findingsOf(validator: Validator, objects: IstioObject[]): Finding[] {
  return validator.preview(objects);
}

function buildView(
  object: StoredObject,
  access: Access,
  snapshot: SnapshotResult,
  validator: Validator,
): TrafficSplit {
  const metadata = metadataOf(object);
  const istio = toIstioObject(object, 'VirtualService');
  const checker = new SplitChecker(validator.index, istio);
  const routes = checker.annotate(splitRoutes(istio.spec));
  return {
    namespace: metadata.namespace,
    name: metadata.name,
    resourceVersion: metadata.resourceVersion,
    hosts: texts(istio.spec.hosts),
    gateways: texts(istio.spec.gateways),
    routes,
    editable: access.editable,
    ...(access.reason !== undefined ? { reason: access.reason } : {}),
    ...(access.owner ? { owner: access.owner } : {}),
    canEditDestinationRules: access.canEditDestinationRules,
    subsetOffers: access.editable && access.canEditDestinationRules ? checker.offers(routes) : [],
    findings: findingsOf(validator, [istio]),
    yaml: objectYaml(object),
    warnings: [...snapshot.warnings, ...access.warnings],
  };
}

async function viewOf(
  context: TrafficSplitContext,
  object: StoredObject,
  snapshot?: SnapshotResult,
): Promise<TrafficSplit> {
  const [access, read] = await Promise.all([
    accessTo(context, object),
    snapshot ? Promise.resolve(snapshot) : readSnapshot(context, namespacesOf(object)),
  ]);
  return buildView(object, access, read, new Validator(read.snapshot));
}

/** `GET /api/traffic-split/NAMESPACE/NAME`: the live object (not the cache), so its version is current. */
export async function getTrafficSplit(
  context: TrafficSplitContext,
  namespace: string,
  name: string,
): Promise<TrafficSplit> {
  const object = await readObject(context.cluster, virtualServiceTarget(namespace, name));
  return viewOf(context, object);
}

async function conflictWith(
  context: TrafficSplitContext,
  current: StoredObject,
  requested: string,
  cause?: unknown,
): Promise<AppError> {
  const metadata = metadataOf(current);
  const view = await viewOf(context, current);
  return new AppError(
    'conflict:resource-version',
    `VirtualService ${metadata.namespace}/${metadata.name} changed since you read it (your version ${requested}, now ${metadata.resourceVersion}).`,
    { cause, details: { current: view } },
  );
}

/** One DestinationRule step of a change: a patch adding subsets, or a new DestinationRule. */
interface RulePlan {
  target: ObjectTarget;
  before?: StoredObject;
  operations?: ReturnType<typeof buildSubsetPatch>;
  body?: Record<string, unknown>;
}

async function planSubsets(
  context: TrafficSplitContext,
  validator: Validator,
  virtualService: IstioObject,
  change: TrafficSplitChange,
): Promise<RulePlan[]> {
  const byRule = new Map<
    string,
    { rule: DestinationRuleTarget; additions: NonNullable<TrafficSplitChange['subsets']> }
  >();
  for (const addition of change.subsets ?? []) {
    const rule = destinationRuleTarget(validator.index, virtualService.namespace, addition.host);
    const key = `${rule.namespace}/${rule.name}`;
    const entry = byRule.get(key) ?? { rule, additions: [] };
    entry.additions.push(addition);
    byRule.set(key, entry);
  }
  const plans: RulePlan[] = [];
  for (const { rule, additions } of byRule.values()) {
    const target = ruleObjectTarget(rule);
    if (rule.exists) {
      const before = await readObject(context.cluster, target);
      const operations = buildSubsetPatch(specOf(before), additions);
      if (operations.length > 0) plans.push({ target, before, operations });
    } else {
      plans.push({
        target,
        body: {
          apiVersion: `${NETWORKING}/v1`,
          kind: 'DestinationRule',
          metadata: { name: rule.name, namespace: rule.namespace },
          spec: {
            host: rule.host,
            subsets: additions.map((addition) => ({ name: addition.name, labels: addition.labels })),
          },
        },
      });
    }
  }
  return plans;
}

interface RuleStep {
  change: ObjectChange;
  /** the DestinationRule after the step (as the dry run or the write returned it) */
  object: StoredObject;
}

async function runRulePlan(context: TrafficSplitContext, plan: RulePlan, dryRun: boolean): Promise<RuleStep> {
  const { target } = plan;
  const step = (action: ObjectChange['action'], object: StoredObject, before?: StoredObject): RuleStep => ({
    change: {
      kind: 'DestinationRule',
      namespace: target.namespace,
      name: target.name,
      action,
      before: objectYaml(before),
      after: objectYaml(object),
      ...(dryRun ? {} : { resourceVersion: object.metadata.resourceVersion }),
    },
    object,
  });
  try {
    if (plan.before && plan.operations) {
      const result = await safePatch(context.cluster, {
        target,
        resourceVersion: plan.before.metadata.resourceVersion,
        operations: plan.operations,
        actor: context.actor,
        dryRun,
      });
      return step('patch', result.object, plan.before);
    }
    const result = await safeCreate(context.cluster, {
      target,
      body: plan.body ?? {},
      actor: context.actor,
      dryRun,
    });
    return step('create', result.object);
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict:resource-version') {
      throw new AppError(
        'conflict:destination-rule',
        `DestinationRule ${target.namespace}/${target.name} changed while the subset was being added; review and apply again.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * `PUT /api/traffic-split/NAMESPACE/NAME`: checks the change, dry-runs it, and unless `dryRun`
 * applies it: DestinationRule subsets first (unused until the VirtualService sends to them), then
 * the VirtualService patch. Throws `invalid:weights` (400) with `details.problems` in words,
 * `conflict:resource-version` (409) with `details.current`, `conflict:owner` (409) when a
 * controller owns the weights, `forbidden:read-only` (403) in read-only mode.
 */
export async function putTrafficSplit(
  context: TrafficSplitContext,
  namespace: string,
  name: string,
  change: TrafficSplitChange,
): Promise<TrafficSplitResult> {
  if (context.readOnly) throw new AppError('forbidden:read-only', READ_ONLY_REASON);
  const target = virtualServiceTarget(namespace, name);
  const current = await readObject(context.cluster, target);
  if (current.metadata.resourceVersion !== change.resourceVersion)
    throw await conflictWith(context, current, change.resourceVersion);
  const owner = writeOwner(metadataOf(current));
  if (owner) throw new AppError('conflict:owner', owner.reason, { details: { owner } });

  const dryRun = change.dryRun === true;
  const virtualService = toIstioObject(current, 'VirtualService');
  const built = buildSplitPatch(virtualService.spec, change);
  const snapshot = await readSnapshot(context, namespacesOf(current, change));
  const validator = new Validator(snapshot.snapshot);
  const problems = [
    ...built.problems,
    ...new SplitChecker(validator.index, virtualService, change.subsets ?? []).check(change),
  ];
  if (problems.length > 0) {
    throw new AppError('invalid:weights', problems.map((problem) => problem.message).join(' '), {
      details: { problems },
    });
  }
  const rulePlans = await planSubsets(context, validator, virtualService, change);
  const writes = built.operations.filter((operation) => operation.op !== 'test');
  if (writes.length === 0 && rulePlans.length === 0) {
    return {
      dryRun,
      resourceVersion: current.metadata.resourceVersion,
      changes: [],
      findings: findingsOf(validator, [virtualService]),
    };
  }

  // With a DestinationRule step, every step is dry-run before anything is written (safePatch
  // dry-runs a lone VirtualService patch itself).
  const checkFirst = dryRun || rulePlans.length > 0;
  const checkedRules = checkFirst
    ? await Promise.all(rulePlans.map((plan) => runRulePlan(context, plan, true)))
    : [];
  const patchVirtualService = async (asDryRun: boolean) => {
    if (writes.length === 0) return undefined;
    try {
      return await safePatch(context.cluster, {
        target,
        resourceVersion: change.resourceVersion,
        operations: built.operations,
        actor: context.actor,
        dryRun: asDryRun,
      });
    } catch (error) {
      const latest =
        error instanceof AppError && error.code === 'conflict:resource-version'
          ? error.details?.current
          : undefined;
      if (latest) throw await conflictWith(context, latest as StoredObject, change.resourceVersion, error);
      throw error;
    }
  };
  const outcome = (object: StoredObject | undefined, rules: RuleStep[], applied: boolean) => ({
    changes: [
      ...(object
        ? [
            {
              kind: 'VirtualService' as const,
              namespace,
              name,
              action: 'patch' as const,
              before: objectYaml(current),
              after: objectYaml(object),
              ...(applied ? { resourceVersion: object.metadata.resourceVersion } : {}),
            },
          ]
        : []),
      ...rules.map((rule) => rule.change),
    ],
    findings: findingsOf(validator, [
      toIstioObject(object ?? current, 'VirtualService'),
      ...rules.map((rule) => toIstioObject(rule.object, 'DestinationRule')),
    ]),
  });

  const checked = checkFirst ? await patchVirtualService(true) : undefined;
  if (dryRun) {
    return {
      dryRun: true,
      resourceVersion: current.metadata.resourceVersion,
      ...outcome(checked?.object, checkedRules, false),
    };
  }
  const appliedRules: RuleStep[] = [];
  for (const plan of rulePlans) appliedRules.push(await runRulePlan(context, plan, false));
  const applied = await patchVirtualService(false);
  const object = applied?.object ?? current;
  const access = await accessTo(context, object);
  return {
    dryRun: false,
    resourceVersion: object.metadata.resourceVersion,
    ...outcome(applied?.object, appliedRules, true),
    split: buildView(object, access, snapshot, validator),
  };
}

/** `GET /api/traffic-split/NAMESPACE/NAME/history`: the writes this dashboard made or tried, newest first. */
/**
 * The writes this dashboard made or tried on a VirtualService. The object is read first as the
 * caller, so only someone who may `get` it sees who changed it and how (404/403 otherwise).
 */
export async function getTrafficSplitHistory(
  context: Pick<TrafficSplitContext, 'cluster'>,
  namespace: string,
  name: string,
): Promise<TrafficSplitHistory> {
  await readObject(context.cluster, virtualServiceTarget(namespace, name));
  const records = auditHistory({ group: NETWORKING, kind: 'VirtualService', namespace, name });
  return {
    entries: records
      .filter((entry) => entry.result !== 'dry-run')
      .map((entry) => ({
        time: entry.time,
        actor: entry.actor,
        result: entry.result as Exclude<typeof entry.result, 'dry-run'>,
        resourceVersionBefore: entry.resourceVersionBefore,
        ...(entry.resourceVersionAfter !== undefined
          ? { resourceVersionAfter: entry.resourceVersionAfter }
          : {}),
        changes: entry.changes,
        ...(entry.message !== undefined ? { message: entry.message } : {}),
      })),
  };
}

function summaryOf(object: IstioObject): TrafficSplitSummary {
  const routes = splitRoutes(object.spec).map((route) => ({
    protocol: route.protocol,
    index: route.index,
    destinations: route.destinations,
  }));
  return {
    namespace: object.namespace,
    name: object.name,
    hosts: texts(object.spec.hosts),
    gateways: texts(object.spec.gateways),
    routes,
    weighted: isWeighted(routes),
  };
}

export interface TrafficSplitListOptions {
  /** one namespace; all when unset */
  namespace?: string;
  /** only VirtualServices routing this Service (a name in `namespace`) */
  service?: string;
  /** also VirtualServices without a split */
  all?: boolean;
}

/** `GET /api/traffic-split`: VirtualServices with weighted routes (or all, or those routing a service), from the caches. */
export async function listTrafficSplits(
  context: TrafficSplitContext,
  options: TrafficSplitListOptions = {},
): Promise<TrafficSplitList> {
  const serviceFqdn =
    options.service !== undefined && options.namespace !== undefined
      ? toFqdn(options.service, options.namespace)
      : undefined;
  // VirtualServices of any namespace may route a service; otherwise only the namespace's count.
  const scope = options.namespace !== undefined && serviceFqdn === undefined ? [options.namespace] : [];
  const { snapshot, warnings } = await readSnapshot(context, scope);
  let objects = snapshot.istio.filter((object) => object.kind === 'VirtualService');
  if (serviceFqdn !== undefined) {
    objects = objects.filter(
      (object) =>
        isMeshBound(object) &&
        texts(object.spec.hosts).some((host) => hostCovers(toFqdn(host, object.namespace), serviceFqdn)),
    );
  } else if (options.namespace !== undefined) {
    objects = objects.filter((object) => object.namespace === options.namespace);
  }
  const items = objects
    .map(summaryOf)
    .filter((summary) => options.all === true || serviceFqdn !== undefined || summary.weighted)
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { items, warnings };
}
