import 'server-only';
import { countFindings } from '@/lib/istio-config/counts';
import type { ApiWarning } from '@/lib/types/api';
import type { ValidationsResponse } from '@/lib/types/config';
import type { IstioKind, IstioObject } from '@/lib/types/mesh-config';
import type { Finding, FindingObject, IgnoreRule } from '@/lib/types/validation';
import type { MeshIndex } from '@/lib/validation/mesh-index';
import { createSuppressor } from '@/lib/validation/suppression';
import { Validator } from '@/lib/validation/validate';
import { ALL_CACHE_KINDS, CACHE_KINDS, type CacheKind, KIND_SPECS } from './cache/kinds';
import type { CachedIstioObject } from './cache/projections';
import { getResourceCaches, type ResourceCaches } from './cache/resource-caches';
import type { CacheStatus } from './cache/types';
import { getConfig } from './config';
import {
  buildConfigSnapshot,
  dataAsOf,
  snapshotInput,
  toIstioObject,
  type VALIDATION_KINDS,
  validationKinds,
} from './config-snapshot';
import { SchemaRegistry } from './validation/schema-check';

/**
 * The process-wide validation (lib/validation) of the whole mesh, kept current from the caches:
 * a change to Istio objects is applied incrementally (`Validator.apply`, only what it can affect
 * is rechecked); a change to anything else (Namespaces, Services, pods, the mesh config, Secrets)
 * rebuilds the validator, at most once per `rebuildIntervalMs`. Objects are also checked against
 * their CRD's schema (IST0106). Work happens when a request asks, never in the background.
 */

const ISTIO_CACHE_KINDS = CACHE_KINDS.filter((kind) => KIND_SPECS[kind].istio);
/** Kinds whose change rebuilds the validator (CRDs only change the schemas). */
const BASE_KINDS = ALL_CACHE_KINDS.filter(
  (kind) => !KIND_SPECS[kind].istio && kind !== 'customresourcedefinitions',
);
const SCHEMA_KIND: CacheKind & 'customresourcedefinitions' = 'customresourcedefinitions';

/**
 * Kinds without which nearly every reference would look broken (every host "not found"): until
 * each has been listed once, findings are held back rather than guessed.
 */
const REQUIRED_KINDS = [
  'namespaces',
  'services',
  'pods',
  'configmaps',
] as const satisfies readonly CacheKind[];

/** Default shortest time between two rebuilds caused by non-Istio changes, in milliseconds. */
const DEFAULT_REBUILD_INTERVAL_MS = 5_000;

export interface ValidationServiceOptions {
  ignore?: readonly IgnoreRule[];
  /** shortest time between two rebuilds after Namespaces, Services or pods change, in ms */
  rebuildIntervalMs?: number;
  /** list Secret names to check Gateway TLS credentials (default off: Secrets are never listed) */
  checkTlsCredentials?: boolean;
}

interface Built {
  validator: Validator;
  /** the Istio objects the validator holds, by `Kind/namespace/name` */
  objects: Map<string, IstioObject>;
  baseSignature: string;
  istioChanges: number;
  builtAt: number;
  /** every required kind had been listed: the findings can be trusted */
  complete: boolean;
}

const keyOf = (object: { kind: string; namespace: string; name: string }) =>
  `${object.kind}/${object.namespace}/${object.name}`;

/** What the checks that need each on-demand kind lose when it cannot be read. */
const SKIPPED_CHECKS: Record<(typeof VALIDATION_KINDS)[number] | typeof SCHEMA_KIND, string> = {
  secrets: 'Gateway TLS credentials (credentialName) are not checked',
  serviceaccounts: 'AuthorizationPolicy principals are checked against the service accounts pods use only',
  nodes: 'subsets selecting on node topology labels are not checked',
  customresourcedefinitions: 'objects are not checked against their CRD schemas (IST0106)',
};

/** Why findings are held back, when a required kind has never been listed. */
export function incompleteWarning(statuses: readonly CacheStatus[]): ApiWarning | undefined {
  const missing = statuses.filter(
    (status) =>
      (REQUIRED_KINDS as readonly string[]).includes(status.resource) && status.syncedAt === undefined,
  );
  if (missing.length === 0) return undefined;
  const kinds = missing.map((status) => status.kind).join(', ');
  const forbidden = missing.some((status) => status.state === 'forbidden');
  return {
    source: 'validation',
    message: forbidden
      ? `No findings: validation needs to list ${kinds}, which the dashboard may not; without them every reference would look broken`
      : `No findings yet: still loading ${kinds}; without them every reference would look broken`,
  };
}

/** Warnings for the kinds only validation reads: what is skipped, and why. */
export function onDemandWarnings(statuses: readonly CacheStatus[]): ApiWarning[] {
  const warnings: ApiWarning[] = [];
  for (const status of statuses) {
    const skipped = SKIPPED_CHECKS[status.resource as keyof typeof SKIPPED_CHECKS];
    if (!skipped) continue;
    const cause = status.lastError ? ` (${status.lastError})` : '';
    if (status.state === 'forbidden' && status.syncedAt === undefined) {
      warnings.push({
        source: 'validation',
        message: `${skipped}: not allowed to list ${status.kind}s${cause}`,
      });
    } else if (status.state === 'starting') {
      warnings.push({ source: 'validation', message: `${skipped} yet: still loading ${status.kind}s` });
    } else if (status.state === 'unavailable') {
      warnings.push({ source: 'validation', message: `${skipped}: could not load ${status.kind}s${cause}` });
    }
  }
  return warnings;
}

export class ValidationService {
  private built: Built | undefined;
  private schemas: { changes: number; registry: SchemaRegistry } | undefined;
  /** schema findings by object key, for the resourceVersion they were computed for */
  private readonly schemaFindings = new Map<string, { resourceVersion: string; findings: Finding[] }>();
  private readonly suppressed: ReturnType<typeof createSuppressor>;
  private readonly rebuildIntervalMs: number;

  constructor(
    readonly caches: ResourceCaches,
    private readonly options: ValidationServiceOptions = {},
  ) {
    this.suppressed = createSuppressor(options.ignore);
    this.rebuildIntervalMs = options.rebuildIntervalMs ?? DEFAULT_REBUILD_INTERVAL_MS;
  }

  /** Starts the on-demand caches, waits for loading ones (at most `timeoutMs`), catches up. */
  async refresh(timeoutMs?: number): Promise<ApiWarning[]> {
    this.caches.start();
    const kinds = validationKinds({ secrets: this.options.checkTlsCredentials === true });
    for (const kind of [...kinds, SCHEMA_KIND]) this.caches.cache(kind);
    const { warnings } = await this.caches.ready(timeoutMs);
    this.update();
    const statuses = this.caches.statuses();
    const incomplete = incompleteWarning(statuses);
    return [...warnings, ...(incomplete ? [incomplete] : []), ...onDemandWarnings(statuses)];
  }

  /** Brings the validator and schemas up to date with the caches (synchronous). */
  update(now = Date.now()): void {
    const baseSignature = this.baseSignature();
    const istioChanges = this.istioChanges();
    const built = this.built;
    const due = built && (!built.complete || now - built.builtAt >= this.rebuildIntervalMs);
    if (!built || (built.baseSignature !== baseSignature && due)) {
      this.rebuild(baseSignature, istioChanges, now);
    } else if (built.istioChanges !== istioChanges) {
      this.applyIstioChanges(built);
      built.istioChanges = istioChanges;
    }
    const crds = this.caches.cache(SCHEMA_KIND);
    if (!this.schemas || this.schemas.changes !== crds.changeCount) {
      this.schemas = { changes: crds.changeCount, registry: new SchemaRegistry(crds.list()) };
      this.schemaFindings.clear();
    }
  }

  get index(): MeshIndex {
    return this.current().validator.index;
  }

  get schemaRegistry(): SchemaRegistry {
    if (!this.schemas) this.update();
    return this.schemas?.registry ?? new SchemaRegistry([]);
  }

  /** The Istio objects validated, in no particular order. */
  objects(): IterableIterator<IstioObject> {
    return this.current().objects.values();
  }

  object(kind: IstioKind, namespace: string, name: string): IstioObject | undefined {
    return this.current().objects.get(keyOf({ kind, namespace, name }));
  }

  /** Every finding, of `namespaces` only when given (a Namespace's own findings count for it). */
  findings(namespaces?: readonly string[]): Finding[] {
    const built = this.current();
    if (!built.complete) return [];
    const wanted = namespaces && namespaces.length > 0 ? new Set(namespaces) : undefined;
    const inScope = (object: FindingObject) =>
      !wanted || wanted.has(object.kind === 'Namespace' ? object.name : object.namespace);
    const result = built.validator.findings().filter((finding) => inScope(finding.object));
    for (const object of built.objects.values()) {
      if (inScope(object)) result.push(...this.schemaFindingsOf(object));
    }
    return result;
  }

  findingsOf(object: FindingObject): Finding[] {
    const built = this.current();
    if (!built.complete) return [];
    const istio = built.objects.get(keyOf(object));
    return [...built.validator.findingsOf(object), ...(istio ? this.schemaFindingsOf(istio) : [])];
  }

  /** The findings `drafts` would have, schema errors included; the validation state is left as it was. */
  preview(drafts: readonly IstioObject[]): Finding[] {
    const built = this.current();
    if (!built.complete) return [];
    const registry = this.schemaRegistry;
    const schema = drafts.flatMap((draft) =>
      registry.check(draft).filter((finding) => !this.suppressed(finding, draft.annotations)),
    );
    return [...built.validator.preview(drafts), ...schema];
  }

  private current(): Built {
    if (!this.built) this.update();
    return this.built as Built;
  }

  private schemaFindingsOf(object: IstioObject): Finding[] {
    const key = keyOf(object);
    const cached = this.schemaFindings.get(key);
    if (cached && cached.resourceVersion === object.resourceVersion) return cached.findings;
    const findings = this.schemaRegistry
      .check(object)
      .filter((finding) => !this.suppressed(finding, object.annotations));
    this.schemaFindings.set(key, { resourceVersion: object.resourceVersion, findings });
    return findings;
  }

  /** Changes of the non-Istio kinds, and which on-demand kinds hold a complete list. */
  private baseSignature(): string {
    const skipSecrets = this.options.checkTlsCredentials !== true;
    return BASE_KINDS.filter((kind) => !(skipSecrets && kind === 'secrets'))
      .map((kind) => {
        const cache = this.caches.cache(kind);
        return `${cache.changeCount}${cache.status().syncedAt === undefined ? '' : '+'}`;
      })
      .join(',');
  }

  private istioChanges(): number {
    return ISTIO_CACHE_KINDS.reduce((sum, kind) => sum + this.caches.cache(kind).changeCount, 0);
  }

  private rebuild(baseSignature: string, istioChanges: number, now: number): void {
    const snapshot = buildConfigSnapshot(
      snapshotInput(this.caches, {
        validation: true,
        secrets: this.options.checkTlsCredentials === true,
      }),
    );
    const validator = new Validator(snapshot, { ignore: this.options.ignore ?? [] });
    const objects = new Map(snapshot.istio.map((object) => [keyOf(object), object]));
    const complete = incompleteWarning(this.caches.statuses()) === undefined;
    this.built = { validator, objects, baseSignature, istioChanges, builtAt: now, complete };
    for (const key of this.schemaFindings.keys()) if (!objects.has(key)) this.schemaFindings.delete(key);
  }

  /** Diffs the Istio caches against the validator's objects by resourceVersion and applies the change. */
  private applyIstioChanges(built: Built): void {
    const upsert: IstioObject[] = [];
    const seen = new Set<string>();
    for (const kind of ISTIO_CACHE_KINDS) {
      for (const cached of this.caches.cache(kind).list() as readonly CachedIstioObject[]) {
        const key = `${cached.kind}/${cached.metadata.namespace ?? ''}/${cached.metadata.name}`;
        seen.add(key);
        if (built.objects.get(key)?.resourceVersion !== cached.metadata.resourceVersion)
          upsert.push(toIstioObject(cached));
      }
    }
    const removed = [...built.objects.values()].filter((object) => !seen.has(keyOf(object)));
    if (upsert.length === 0 && removed.length === 0) return;
    built.validator.apply({ upsert, removed });
    for (const object of removed) {
      built.objects.delete(keyOf(object));
      this.schemaFindings.delete(keyOf(object));
    }
    for (const object of upsert) built.objects.set(keyOf(object), object);
  }
}

const SERVICES_KEY = Symbol.for('meshscope.validationServices');
type WithServices = typeof globalThis & { [SERVICES_KEY]?: WeakMap<ResourceCaches, ValidationService> };

/**
 * The validation of a cache set, created on first use: one per set, so that in token mode two
 * users' requests do not rebuild each other's index; it goes when its caches do.
 */
export function getValidationService(caches: ResourceCaches = getResourceCaches()): ValidationService {
  const holder = globalThis as WithServices;
  holder[SERVICES_KEY] ??= new WeakMap();
  const existing = holder[SERVICES_KEY].get(caches);
  if (existing) return existing;
  const config = getConfig();
  const service = new ValidationService(caches, {
    ignore: config.validationIgnore,
    checkTlsCredentials: config.validateTlsCredentials,
  });
  holder[SERVICES_KEY].set(caches, service);
  return service;
}

export interface GetValidationsOptions {
  /** counts only */
  summary?: boolean;
  service?: ValidationService;
}

/** `GET /api/validations`: the findings of `namespaces` (all when empty), counts and warnings. */
export async function getValidations(
  namespaces: readonly string[],
  options: GetValidationsOptions = {},
): Promise<ValidationsResponse> {
  const service = options.service ?? getValidationService();
  const warnings = await service.refresh();
  const findings = service.findings(namespaces);
  return {
    asOf: dataAsOf(service.caches.statuses()),
    findings: options.summary ? [] : findings,
    counts: countFindings(findings),
    warnings,
  };
}
