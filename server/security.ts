import 'server-only';
import { DEFAULT_DURATION_SECONDS } from '@/lib/graph-params';
import { checkAuthz } from '@/lib/security/authz-check';
import { buildMtlsView } from '@/lib/security/mtls-view';
import { listPolicies } from '@/lib/security/policies';
import type { ApiWarning } from '@/lib/types/api';
import type {
  AuthzCheckRequest,
  AuthzCheckResponse,
  MtlsResponse,
  PoliciesResponse,
} from '@/lib/types/security';
import type { TelemetrySnapshot } from '@/lib/types/telemetry';
import { getConfigSnapshot, type SnapshotResult } from './config-snapshot';
import { AppError } from './errors';
import { logger } from './logger';
import { getTelemetrySource, type TelemetrySource } from './telemetry/source';

/**
 * The security views (docs/api.md): effective mTLS with what traffic did, the authorization
 * what-if, and the policies with what they select. The evaluation is lib/security's; this module
 * reads the configuration snapshot and telemetry and turns their trouble into warnings.
 */

export interface SecurityContext {
  /** the configuration of `namespaces` (all when unset) */
  snapshot: (namespaces?: string[]) => Promise<SnapshotResult>;
  /** the telemetry source; its failure is a warning, never an error */
  telemetry: () => Promise<Pick<TelemetrySource, 'snapshot'>>;
  /** seconds of traffic `observed` covers */
  windowSeconds: number;
}

/** The process's caches and telemetry source. */
export function securityContext(): SecurityContext {
  return {
    snapshot: (namespaces) => getConfigSnapshot(namespaces),
    telemetry: getTelemetrySource,
    windowSeconds: DEFAULT_DURATION_SECONDS,
  };
}

async function readTelemetry(
  context: SecurityContext,
  namespaces: string[],
): Promise<{ snapshot: TelemetrySnapshot | null; warnings: ApiWarning[] }> {
  if (namespaces.length === 0) return { snapshot: null, warnings: [] };
  try {
    const source = await context.telemetry();
    const snapshot = await source.snapshot({ namespaces, windowSeconds: context.windowSeconds });
    return { snapshot, warnings: snapshot.warnings };
  } catch (error) {
    if (error instanceof AppError) logger.warn({ code: error.code }, error.message);
    else logger.error({ err: error }, 'telemetry snapshot failed');
    const reason =
      error instanceof AppError ? error.message : 'the telemetry source failed (see the dashboard logs)';
    return {
      snapshot: null,
      warnings: [
        {
          source: 'telemetry',
          message: `No observed mTLS: ${reason}. The modes shown come from configuration alone.`,
        },
      ],
    };
  }
}

/** Namespaces of callers in the traffic, so an edge's expected TLS can be read from their config. */
function callerNamespaces(snapshot: TelemetrySnapshot | null): string[] {
  const found = new Set<string>();
  for (const sample of snapshot?.requests ?? []) found.add(sample.source.namespace);
  found.delete('');
  found.delete('unknown');
  return [...found];
}

/**
 * `GET /api/security/mtls?namespaces=`: the effective mode of every namespace, workload and port,
 * what clients send, conflicts, and the mTLS share of the traffic each workload received
 * (`observed: false`: configuration only, `telemetry` null, nothing observed).
 */
export async function getMtls(
  namespaces: string[],
  context: SecurityContext = securityContext(),
  options: { observed?: boolean } = {},
): Promise<MtlsResponse> {
  const scoped = await context.snapshot(namespaces.length > 0 ? namespaces : undefined);
  const listed = namespaces.length > 0 ? namespaces : scoped.snapshot.namespaces.map((entry) => entry.name);
  // Without `observed`, no telemetry is read: direct scraping of every sidecar costs seconds on a large mesh.
  const telemetry =
    options.observed === false ? { snapshot: null, warnings: [] } : await readTelemetry(context, listed);
  const callers = callerNamespaces(telemetry.snapshot).filter((namespace) => !listed.includes(namespace));
  const config =
    namespaces.length > 0 && callers.length > 0 ? await context.snapshot([...listed, ...callers]) : scoped;
  const warnings = [...config.warnings, ...telemetry.warnings];
  if (telemetry.snapshot && telemetry.snapshot.requests.length === 0 && telemetry.warnings.length === 0) {
    warnings.push({
      source: 'telemetry',
      message: `No requests in the last ${telemetry.snapshot.windowSeconds} s: nothing observed to compare with the configuration.`,
    });
  }
  return {
    timestamp: new Date().toISOString(),
    asOf: config.snapshot.asOf,
    ...buildMtlsView(config.snapshot, listed, telemetry.snapshot),
    telemetry: telemetry.snapshot
      ? { source: telemetry.snapshot.source, windowSeconds: telemetry.snapshot.windowSeconds }
      : null,
    warnings,
  };
}

/**
 * `POST /api/security/authz/check`: the decision the destination's sidecar would make. 404 when
 * the destination (or the named source) workload does not exist.
 */
export async function checkAuthorization(
  request: AuthzCheckRequest,
  context: SecurityContext = securityContext(),
): Promise<AuthzCheckResponse> {
  const namespaces = [...new Set([request.destination.namespace, request.source.namespace])];
  const { snapshot, warnings } = await context.snapshot(namespaces);
  const result = checkAuthz(snapshot, request);
  if (!result.ok) throw new AppError('not-found', result.message);
  return { ...result.answer, warnings };
}

/** `GET /api/security/policies?namespaces=`: the policies, what they select, and each workload's set. */
export async function getPolicies(
  namespaces: string[],
  context: SecurityContext = securityContext(),
): Promise<PoliciesResponse> {
  const { snapshot, warnings } = await context.snapshot(namespaces.length > 0 ? namespaces : undefined);
  return { asOf: snapshot.asOf, ...listPolicies(snapshot), warnings };
}
