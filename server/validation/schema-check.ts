import 'server-only';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { formatPath, type PathSegment, pointerSegments } from '@/lib/istio-config/paths';
import type { IstioObject } from '@/lib/types/mesh-config';
import type { Finding } from '@/lib/types/validation';
import { buildFinding } from '@/lib/validation/checker';
import type { CachedCrd } from '../cache/projections';

/**
 * IST0106: Istio objects checked against their CRD's `openAPIV3Schema`, as read from the cluster
 * (the schemas of the Istio release actually installed). The schema is structural (Kubernetes'
 * OpenAPI subset): `x-kubernetes-int-or-string` becomes "integer or string", and fields a schema
 * does not declare are reported, since the API server prunes them silently (a misspelt or
 * mis-indented field is then lost without a word).
 */

type Schema = Record<string, unknown>;

/** At most this many schema findings per object: the first ones tell what is wrong. */
const MAX_FINDINGS_PER_OBJECT = 10;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A structural schema made strict for ajv: int-or-string typed, undeclared fields refused. */
export function toAjvSchema(schema: Schema): Schema {
  const result: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isSchema(value)) {
      result.properties = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, isSchema(child) ? toAjvSchema(child) : child]),
      );
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isSchema(value)) {
      result[key] = toAjvSchema(value);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      result[key] = value.map((child) => (isSchema(child) ? toAjvSchema(child) : child));
    } else if (!key.startsWith('x-kubernetes-')) {
      result[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true && result.type === undefined) {
    result.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (!open && isSchema(result.properties) && result.additionalProperties === undefined) {
    result.additionalProperties = false;
  }
  return result;
}

function describeError(error: ErrorObject): { segments: PathSegment[]; message: string } {
  const segments = ['spec', ...pointerSegments(error.instancePath)];
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    return {
      segments: [...segments, field],
      message: `Unknown field "${field}" at ${formatPath(segments)}: the schema does not declare it, so the API server drops it and Istio never sees it. Check its spelling and indentation.`,
    };
  }
  if (error.keyword === 'required') {
    const field = String(params.missingProperty);
    return {
      segments,
      message: `${formatPath([...segments, field])} is required by the schema and missing: the API server refuses the object's next write. Add it.`,
    };
  }
  const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(', ')}` : '';
  return {
    segments,
    message: `${formatPath(segments)} ${error.message ?? 'is invalid'}${allowed}, against the CRD's schema: the API server refuses the object's next write and istiod may ignore it. Fix the value.`,
  };
}

/** Errors worth showing: the specific ones under an `anyOf`/`oneOf` summary, each path and message once. */
function findingsFrom(object: IstioObject, errors: readonly ErrorObject[]): Finding[] {
  const specific = errors.filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'oneOf');
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const error of chosen) {
    const { segments, message } = describeError(error);
    const path = formatPath(segments);
    if (seen.has(`${path}|${message}`)) continue;
    seen.add(`${path}|${message}`);
    findings.push(
      buildFinding(
        { kind: object.kind, namespace: object.namespace, name: object.name },
        { code: 'schema.invalid', path, message },
      ),
    );
    if (findings.length >= MAX_FINDINGS_PER_OBJECT) break;
  }
  return findings;
}

/** The Istio CRDs' schemas by `group/version/Kind`, compiled on first use. */
export class SchemaRegistry {
  private readonly schemas = new Map<string, Schema>();
  /** `group/Kind` -> the served versions, storage version first */
  private readonly versions = new Map<string, string[]>();
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });

  constructor(crds: readonly CachedCrd[]) {
    for (const crd of crds) {
      const served = crd.spec.versions.filter((version) => version.served && version.schema);
      served.sort((a, b) => Number(b.storage) - Number(a.storage));
      if (served.length === 0) continue;
      this.versions.set(
        `${crd.spec.group}/${crd.spec.kind}`,
        served.map((version) => version.name),
      );
      for (const version of served) {
        if (version.schema)
          this.schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.kind}`, version.schema);
      }
    }
  }

  get size(): number {
    return this.schemas.size;
  }

  /**
   * The whole-object schema of `kind` at `apiVersion` (`group/version`), or of its storage
   * version when that version is not served.
   */
  schemaFor(kind: string, apiVersion: string): { apiVersion: string; schema: Schema } | undefined {
    const [group = '', version = ''] = apiVersion.split('/');
    const exact = this.schemas.get(`${group}/${version}/${kind}`);
    if (exact) return { apiVersion, schema: exact };
    const fallback = this.versions.get(`${group}/${kind}`)?.[0];
    const schema = fallback ? this.schemas.get(`${group}/${fallback}/${kind}`) : undefined;
    return fallback && schema ? { apiVersion: `${group}/${fallback}`, schema } : undefined;
  }

  /** The object's spec against its schema; nothing when the cluster has no schema for it. */
  check(object: IstioObject): Finding[] {
    const validate = this.validatorFor(object.kind, object.apiVersion);
    if (!validate || validate(object.spec)) return [];
    return findingsFrom(object, validate.errors ?? []);
  }

  private validatorFor(kind: string, apiVersion: string): ValidateFunction | undefined {
    const key = `${apiVersion}/${kind}`;
    const known = this.compiled.get(key);
    if (known !== undefined) return known ?? undefined;
    const spec = this.schemaFor(kind, apiVersion)?.schema.properties;
    const specSchema = isSchema(spec) && isSchema(spec.spec) ? spec.spec : undefined;
    let validate: ValidateFunction | null = null;
    if (specSchema) {
      try {
        validate = this.ajv.compile(toAjvSchema(specSchema));
      } catch {
        // A schema ajv cannot compile (a construct outside the structural subset) is not checked.
        validate = null;
      }
    }
    this.compiled.set(key, validate);
    return validate ?? undefined;
  }
}
