/**
 * The circuit-breaker settings of a DestinationRule (connectionPool and outlierDetection, at the
 * top level or in one subset): read for the editor, checked, with guidance on the values for the
 * pods they apply to, and turned into a JSON patch that touches only the edited fields.
 */
import type { PolicyGuidance } from '../types/resilience';
import type { Json } from '../validation/spec';
import { policyGuidance } from './explain';
import { diffPatch, type JsonPatchOperation, withSection } from './json-patch';
import {
  effectiveConnectionPool,
  effectiveLoadBalancer,
  effectiveOutlierDetection,
  parseDurationMs,
} from './policy';

/** One place circuit breakers can be set: the rule's top-level traffic policy or one subset's. */
export interface BreakerSection {
  /** null: the top-level trafficPolicy */
  subset: string | null;
  connectionPool: Json | null;
  outlierDetection: Json | null;
}

/** The edit of one section: a field left out is untouched, null removes it. */
export interface CircuitBreakerEdit {
  subset: string | null;
  connectionPool?: Json | null;
  outlierDetection?: Json | null;
}

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function subsets(spec: Json): Json[] {
  return (Array.isArray(spec.subsets) ? spec.subsets : []).map((entry) => object(entry) ?? {});
}

/** The top level first, then each subset, as written. */
export function breakerSections(spec: Json): BreakerSection[] {
  const section = (subset: string | null, policy: Json | undefined): BreakerSection => ({
    subset,
    connectionPool: object(policy?.connectionPool) ?? null,
    outlierDetection: object(policy?.outlierDetection) ?? null,
  });
  return [
    section(null, object(spec.trafficPolicy)),
    ...subsets(spec).map((subset) => section(String(subset.name ?? ''), object(subset.trafficPolicy))),
  ];
}

/** JSON pointer of the traffic policy the edit is about; undefined for an unknown subset. */
function policyPointer(
  spec: Json,
  subset: string | null,
): { path: string; policy: Json | undefined } | undefined {
  if (subset === null) return { path: '/spec/trafficPolicy', policy: object(spec.trafficPolicy) };
  const index = subsets(spec).findIndex((entry) => entry.name === subset);
  if (index < 0) return undefined;
  return {
    path: `/spec/subsets/${index}/trafficPolicy`,
    policy: object(subsets(spec)[index]?.trafficPolicy),
  };
}

const POOL_INTEGERS: [string, string][] = [
  ['tcp', 'maxConnections'],
  ['http', 'http1MaxPendingRequests'],
  ['http', 'http2MaxRequests'],
  ['http', 'maxRequestsPerConnection'],
  ['http', 'maxRetries'],
];
const OUTLIER_INTEGERS = [
  'consecutive5xxErrors',
  'consecutiveGatewayErrors',
  'consecutiveLocalOriginFailures',
];
const OUTLIER_DURATIONS = ['interval', 'baseEjectionTime'];

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** What is wrong with an edit, in words; empty when it can be applied. */
export function circuitBreakerProblems(spec: Json, edit: CircuitBreakerEdit): string[] {
  const problems: string[] = [];
  const where = edit.subset === null ? 'Top-level policy' : `Subset ${edit.subset}`;
  if (!policyPointer(spec, edit.subset)) return [`The DestinationRule has no subset ${edit.subset}.`];
  const pool = edit.connectionPool;
  if (pool) {
    for (const [group, field] of POOL_INTEGERS) {
      const value = object(pool[group])?.[field];
      if (value !== undefined && !isCount(value))
        problems.push(`${where}: connectionPool.${group}.${field} must be a whole number, 0 or more.`);
    }
    for (const [group, field] of [
      ['tcp', 'connectTimeout'],
      ['http', 'idleTimeout'],
    ] as const) {
      const value = object(pool[group])?.[field];
      if (value !== undefined && parseDurationMs(value) === undefined)
        problems.push(
          `${where}: connectionPool.${group}.${field} "${String(value)}" is not a duration such as 10s.`,
        );
    }
  }
  const outlier = edit.outlierDetection;
  if (outlier) {
    for (const field of OUTLIER_INTEGERS) {
      const value = outlier[field];
      if (value !== undefined && !isCount(value))
        problems.push(`${where}: outlierDetection.${field} must be a whole number, 0 or more.`);
    }
    for (const field of OUTLIER_DURATIONS) {
      const value = outlier[field];
      if (value === undefined) continue;
      const ms = parseDurationMs(value);
      if (ms === undefined || ms < 1)
        problems.push(
          `${where}: outlierDetection.${field} "${String(value)}" is not a duration of at least 1ms.`,
        );
    }
    for (const field of ['maxEjectionPercent', 'minHealthPercent']) {
      const value = outlier[field];
      if (value !== undefined && !(isCount(value) && (value as number) <= 100))
        problems.push(`${where}: outlierDetection.${field} must be a whole number from 0 to 100.`);
    }
  }
  return problems;
}

/** Guidance on the edited values for a section that applies to `pods` pods. */
export function circuitBreakerGuidance(edit: CircuitBreakerEdit, pods: number): PolicyGuidance[] {
  return policyGuidance({
    subset: edit.subset,
    pods,
    connectionPool: { value: effectiveConnectionPool(edit.connectionPool ?? undefined), from: 'top-level' },
    outlierDetection: {
      value: effectiveOutlierDetection(edit.outlierDetection ?? undefined),
      from: 'top-level',
    },
    loadBalancer: { value: effectiveLoadBalancer(undefined), from: 'default' },
    tlsMode: { value: null, from: 'default' },
  });
}

/** The JSON patch of an edit: only the fields of the edited sections that differ. */
export function buildCircuitBreakerPatch(spec: Json, edit: CircuitBreakerEdit): JsonPatchOperation[] {
  const pointer = policyPointer(spec, edit.subset);
  if (!pointer) return [];
  let after: Json | undefined = pointer.policy;
  if (edit.connectionPool !== undefined) after = withSection(after, 'connectionPool', edit.connectionPool);
  if (edit.outlierDetection !== undefined)
    after = withSection(after, 'outlierDetection', edit.outlierDetection);
  if (pointer.policy === undefined && Object.keys(after ?? {}).length === 0) return [];
  return diffPatch(pointer.path, pointer.policy, after);
}
