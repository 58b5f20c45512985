import 'server-only';
import {
  breakerSections,
  buildCircuitBreakerPatch,
  circuitBreakerGuidance,
  circuitBreakerProblems,
} from '@/lib/resilience/breaker-edit';
import type {
  CircuitBreakerChange,
  EditableDestinationRule,
  EditableVirtualService,
  ObjectAccess,
  ResiliencePolicyResponse,
  ResilienceWriteResult,
  RoutePolicyChange,
} from '@/lib/resilience/edit-types';
import type { JsonPatchOperation } from '@/lib/resilience/json-patch';
import { podsInSubset, subsetLabels } from '@/lib/resilience/policy';
import {
  buildRoutePolicyPatch,
  routePolicies,
  routePolicyGuidance,
  routePolicyProblems,
} from '@/lib/resilience/route-policy';
import type { ApiWarning } from '@/lib/types/api';
import type { ConfigSnapshot, IstioObject, ServiceInfo } from '@/lib/types/mesh-config';
import { Validator } from '@/lib/validation';
import { hostCovers, toFqdn } from '@/lib/validation/hosts';
import { record, texts } from '@/lib/validation/spec';
import { writeOwner } from '@/lib/writes/ownership';
import { getConfigSnapshot, type SnapshotResult } from './config-snapshot';
import { AppError } from './errors';
import { logger } from './logger';
import {
  objectYaml,
  READ_ONLY_REASON,
  specOf,
  type TrafficSplitContext,
  toIstioObject,
} from './traffic-split';
import { canI } from './writes/access-review';
import { type ObjectTarget, readObject, type StoredObject, safePatch } from './writes/safe-write';

/**
 * The resilience editors' server side: a service's VirtualService routes (fault injection,
 * timeout, retries) and DestinationRule circuit breakers (connectionPool, outlierDetection), read
 * live with whether the caller may patch them, and written the safe way — checked, dry-run, then
 * one JSON patch that tests the resourceVersion the user read and touches only the edited fields.
 * A conflict answers 409 with the object as it is now. The context is the traffic-split editor's
 * (cluster identity, actor for the audit record, read-only mode).
 */

const NETWORKING = 'networking.istio.io';

type Kind = 'VirtualService' | 'DestinationRule';

function target(kind: Kind, namespace: string, name: string): ObjectTarget {
  return {
    group: NETWORKING,
    version: 'v1',
    plural: kind === 'VirtualService' ? 'virtualservices' : 'destinationrules',
    kind,
    namespace,
    name,
  };
}

function snapshotOf(context: TrafficSplitContext, namespaces: string[]): Promise<SnapshotResult> {
  return context.snapshot ? context.snapshot(namespaces) : getConfigSnapshot(namespaces);
}

/** Whether a VirtualService route sends traffic to the service. */
function routesTo(object: IstioObject, fqdn: string): number[] {
  const http = Array.isArray(object.spec.http) ? object.spec.http : [];
  const indexes: number[] = [];
  http.forEach((entry, index) => {
    const destinations = Array.isArray(record(entry)?.route) ? (record(entry)?.route as unknown[]) : [];
    const hosts = destinations.map((item) => record(record(item)?.destination)?.host);
    if (hosts.some((host) => typeof host === 'string' && toFqdn(host, object.namespace) === fqdn))
      indexes.push(index);
  });
  return indexes;
}

function ruleHost(object: IstioObject): string {
  return toFqdn(typeof object.spec.host === 'string' ? object.spec.host : '', object.namespace);
}

async function accessTo(
  context: TrafficSplitContext,
  kind: Kind,
  object: StoredObject,
): Promise<ObjectAccess> {
  if (context.readOnly) return { editable: false, reason: READ_ONLY_REASON };
  const metadata = object.metadata as StoredObject['metadata'] & Parameters<typeof writeOwner>[0];
  const owner = writeOwner(metadata);
  if (owner) return { editable: false, reason: owner.reason };
  const resource = kind === 'VirtualService' ? 'virtualservices' : 'destinationrules';
  try {
    const answer = await canI(context.cluster, {
      verb: 'patch',
      group: NETWORKING,
      resource,
      namespace: metadata.namespace,
      name: metadata.name,
    });
    if (!answer.allowed)
      return {
        editable: false,
        reason: `Your Kubernetes identity (${context.actor}) may not patch ${kind}s in namespace ${metadata.namespace}, so the settings are shown read-only.`,
      };
    return { editable: true };
  } catch (error) {
    // The API server authorizes the write itself; not knowing beforehand only costs a clearer message.
    logger.warn({ err: error }, 'SelfSubjectAccessReview failed');
    return { editable: true };
  }
}

function findService(snapshot: ConfigSnapshot, namespace: string, name: string): ServiceInfo {
  const service = snapshot.services.find((entry) => entry.namespace === namespace && entry.name === name);
  if (!service) throw new AppError('not-found', `No Service ${namespace}/${name}`);
  return service;
}

/** `GET /api/resilience/NAMESPACE/SERVICE/policy`: the routes and rules the editors work on. */
export async function getResiliencePolicy(
  context: TrafficSplitContext,
  namespace: string,
  name: string,
): Promise<ResiliencePolicyResponse> {
  const read = await snapshotOf(context, [namespace]);
  const { snapshot } = read;
  const service = findService(snapshot, namespace, name);
  const scope = new Set([namespace, snapshot.rootNamespace]);
  const candidates = snapshot.istio.filter((object) => scope.has(object.namespace));
  const warnings: ApiWarning[] = [...read.warnings];

  const virtualServices: EditableVirtualService[] = [];
  for (const cached of candidates.filter((object) => object.kind === 'VirtualService')) {
    if (routesTo(cached, service.fqdn).length === 0) continue;
    const live = await readObject(context.cluster, target('VirtualService', cached.namespace, cached.name));
    const object = toIstioObject(live, 'VirtualService');
    const indexes = new Set(routesTo(object, service.fqdn));
    virtualServices.push({
      namespace: object.namespace,
      name: object.name,
      resourceVersion: object.resourceVersion,
      hosts: texts(object.spec.hosts),
      gateways: texts(object.spec.gateways),
      routes: routePolicies(object.spec).filter((route) => indexes.has(route.index)),
      yaml: objectYaml(live),
      ...(await accessTo(context, 'VirtualService', live)),
    });
  }

  const destinationRules: EditableDestinationRule[] = [];
  for (const cached of candidates.filter((object) => object.kind === 'DestinationRule')) {
    if (!hostCovers(ruleHost(cached), service.fqdn)) continue;
    const live = await readObject(context.cluster, target('DestinationRule', cached.namespace, cached.name));
    const object = toIstioObject(live, 'DestinationRule');
    const subsets = Array.isArray(object.spec.subsets) ? object.spec.subsets : [];
    const sections = breakerSections(object.spec).map((section) => {
      const subset = subsets.map((entry) => record(entry)).find((entry) => entry?.name === section.subset);
      const pods = podsInSubset(
        snapshot.pods,
        service,
        section.subset === null ? {} : subsetLabels(subset),
      ).length;
      return {
        ...section,
        pods,
        guidance: circuitBreakerGuidance(
          {
            subset: section.subset,
            connectionPool: section.connectionPool,
            outlierDetection: section.outlierDetection,
          },
          pods,
        ),
      };
    });
    destinationRules.push({
      namespace: object.namespace,
      name: object.name,
      resourceVersion: object.resourceVersion,
      host: typeof object.spec.host === 'string' ? object.spec.host : '',
      sections,
      yaml: objectYaml(live),
      ...(await accessTo(context, 'DestinationRule', live)),
    });
  }
  return {
    service: { namespace, name, fqdn: service.fqdn },
    virtualServices,
    destinationRules,
    warnings,
  };
}

interface Write {
  kind: Kind;
  /** the service the editor is about (from the path) */
  service: { namespace: string; name: string };
  ref: { namespace: string; name: string };
  resourceVersion: string;
  dryRun: boolean;
  /** the patch and the refusals, from the object as read */
  plan(
    spec: Record<string, unknown>,
    snapshot: ConfigSnapshot,
  ): { operations: JsonPatchOperation[]; problems: string[]; guidance: string[] };
}

async function write(context: TrafficSplitContext, request: Write): Promise<ResilienceWriteResult> {
  if (context.readOnly) throw new AppError('forbidden:read-only', READ_ONLY_REASON);
  const objectTarget = target(request.kind, request.ref.namespace, request.ref.name);
  const current = await readObject(context.cluster, objectTarget);
  if (current.metadata.resourceVersion !== request.resourceVersion) {
    throw new AppError(
      'conflict:resource-version',
      `${request.kind} ${request.ref.namespace}/${request.ref.name} changed since you read it (your version ${request.resourceVersion}, now ${current.metadata.resourceVersion}).`,
      { details: { current, yaml: objectYaml(current) } },
    );
  }
  const owner = writeOwner(current.metadata as Parameters<typeof writeOwner>[0]);
  if (owner) throw new AppError('conflict:owner', owner.reason, { details: { owner } });
  const read = await snapshotOf(context, [...new Set([request.ref.namespace, request.service.namespace])]);
  const plan = request.plan(specOf(current), read.snapshot);
  if (plan.problems.length > 0)
    throw new AppError('invalid', plan.problems.join(' '), { details: { problems: plan.problems } });
  const findingsOf = async (object: StoredObject) =>
    new Validator(read.snapshot).preview([toIstioObject(object, request.kind)]);
  if (plan.operations.length === 0) {
    return {
      dryRun: request.dryRun,
      object: current,
      resourceVersion: current.metadata.resourceVersion,
      operations: [],
      findings: await findingsOf(current),
      before: objectYaml(current),
      after: objectYaml(current),
      guidance: plan.guidance,
    };
  }
  try {
    const result = await safePatch(context.cluster, {
      target: objectTarget,
      resourceVersion: request.resourceVersion,
      operations: plan.operations,
      actor: context.actor,
      dryRun: request.dryRun,
    });
    return {
      dryRun: result.dryRun,
      object: result.object,
      resourceVersion: result.resourceVersion,
      operations: plan.operations,
      findings: await findingsOf(result.object),
      before: objectYaml(current),
      after: objectYaml(result.object),
      guidance: plan.guidance,
    };
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict:resource-version') {
      const latest = error.details?.current as StoredObject | undefined;
      throw new AppError('conflict:resource-version', error.message, {
        cause: error,
        details: { current: latest, yaml: objectYaml(latest) },
      });
    }
    throw error;
  }
}

/**
 * `PUT /api/resilience/NAMESPACE/SERVICE/route-policy`: fault injection, timeout and retries of
 * some routes of one VirtualService. 400 `invalid` with `details.problems`, 409
 * `conflict:resource-version` with `details.current` and `details.yaml`, 403 when refused.
 */
export function putRoutePolicy(
  context: TrafficSplitContext,
  service: { namespace: string; name: string },
  change: RoutePolicyChange,
): Promise<ResilienceWriteResult> {
  return write(context, {
    kind: 'VirtualService',
    service,
    ref: change.virtualService,
    resourceVersion: change.resourceVersion,
    dryRun: change.dryRun === true,
    plan: (spec) => ({
      operations: buildRoutePolicyPatch(spec, change.routes),
      problems: change.routes.flatMap((edit) => routePolicyProblems(spec, edit)),
      guidance: change.routes.flatMap((edit) => routePolicyGuidance(edit)),
    }),
  });
}

/**
 * `PUT /api/resilience/NAMESPACE/SERVICE/circuit-breaker`: connectionPool and outlierDetection of
 * a DestinationRule's top-level policy or one subset's. Answers as `putRoutePolicy`.
 */
export function putCircuitBreaker(
  context: TrafficSplitContext,
  service: { namespace: string; name: string },
  change: CircuitBreakerChange,
): Promise<ResilienceWriteResult> {
  return write(context, {
    kind: 'DestinationRule',
    service,
    ref: change.destinationRule,
    resourceVersion: change.resourceVersion,
    dryRun: change.dryRun === true,
    plan: (spec, snapshot) => {
      const found = snapshot.services.find(
        (entry) => entry.namespace === service.namespace && entry.name === service.name,
      );
      const subsets = Array.isArray(spec.subsets) ? spec.subsets.map((entry) => record(entry)) : [];
      const labels =
        change.subset === null ? {} : subsetLabels(subsets.find((entry) => entry?.name === change.subset));
      const pods = found ? podsInSubset(snapshot.pods, found, labels).length : 0;
      return {
        operations: buildCircuitBreakerPatch(spec, change),
        problems: circuitBreakerProblems(spec, change),
        guidance: circuitBreakerGuidance(change, pods)
          .filter((entry) => entry.severity === 'warning')
          .map((entry) => entry.message),
      };
    },
  });
}
