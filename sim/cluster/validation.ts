/**
 * Object validation the way kube-apiserver answers it: metadata name rules, and custom resources
 * against their CRD's openAPIV3Schema, reported as 422 Invalid with field causes.
 */
import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ResourceType } from './resource-type';
import type { StatusCause } from './status-error';
import type { KubeObject } from './types';

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Kinds whose names must be DNS labels rather than subdomains. */
const labelNamedKinds = new Set(['Namespace', 'Service']);

export function validateName(type: ResourceType, name: string): StatusCause[] {
  const asLabel = labelNamedKinds.has(type.kind) && type.group === '';
  const pattern = asLabel ? dnsLabel : dnsSubdomain;
  const limit = asLabel ? 63 : 253;
  if (name.length === 0)
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  if (name.length > limit || !pattern.test(name)) {
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: "${name}": ${asLabel ? labelMessage : subdomainMessage}`,
      },
    ];
  }
  return [];
}

const ajvOptions = { allErrors: true, strict: false, validateFormats: false } as const;
let sharedAjv = new Ajv(ajvOptions);
/**
 * Compiled validators by a hash of the schema's JSON, shared by every cluster in the process: each
 * SimulatedCluster gets its own CRD objects (so an identity cache misses), but the same text.
 */
const compiledByText = new Map<string, ValidateFunction>();
/** The same, by schema object, to skip hashing on the next object of a kind. */
const compiledBySchema = new WeakMap<object, ValidateFunction>();
/** Distinct schemas kept compiled at most (CRDs rewritten endlessly must not grow this forever). */
const compiledLimit = 500;

function compile(schema: Record<string, unknown>): ValidateFunction {
  const text = JSON.stringify(schema);
  const key = createHash('sha256').update(text).digest('base64');
  let validator = compiledByText.get(key);
  if (!validator) {
    if (compiledByText.size >= compiledLimit) {
      // Ajv keeps every schema it compiled: start a fresh instance along with the cache.
      compiledByText.clear();
      sharedAjv = new Ajv(ajvOptions);
    }
    try {
      validator = sharedAjv.compile(schema);
    } catch {
      // A schema whose $id another one already took compiles on an instance of its own.
      validator = new Ajv(ajvOptions).compile(schema);
    }
    compiledByText.set(key, validator);
  }
  return validator;
}

/** Validates objects against CRD version schemas, compiling each distinct schema once per process. */
export class SchemaValidator {
  validate(schema: Record<string, unknown> | undefined, object: KubeObject): StatusCause[] {
    if (!schema) return [];
    let validator = compiledBySchema.get(schema);
    if (!validator) {
      validator = compile(schema);
      compiledBySchema.set(schema, validator);
    }
    if (validator(object)) return [];
    return collapse(validator.errors ?? []).map((error) => toCause(error, object));
  }
}

/** `oneOf`/`anyOf` failures repeat their branches' errors; keep the most specific ones. */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((error) => !['oneOf', 'anyOf', 'not', 'if'].includes(error.keyword));
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  return chosen.filter((error) => {
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `/spec/http/0/route/0/weight` -> `spec.http[0].route[0].weight` */
export function fieldPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path += /^\d+$/.test(segment) ? `[${segment}]` : path ? `.${segment}` : segment;
  }
  return path;
}

function valueAt(object: unknown, pointer: string): unknown {
  let current: unknown = object;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? 'null');
}

function toCause(error: ErrorObject, object: KubeObject): StatusCause {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    const field = [fieldPath(error.instancePath), params.missingProperty].filter(Boolean).join('.');
    return { reason: 'FieldValueRequired', field, message: 'Required value' };
  }
  const field = fieldPath(error.instancePath) || '<root>';
  const value = valueAt(object, error.instancePath);
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    const supported = params.allowedValues.map((allowed) => describeValue(allowed)).join(', ');
    return {
      reason: 'FieldValueNotSupported',
      field,
      message: `Unsupported value: ${describeValue(value)}: supported values: ${supported}`,
    };
  }
  const detail =
    error.keyword === 'type'
      ? `${field} in body must be of type ${String(params.type)}: ${describeValue(value)}`
      : `${field} in body ${error.message ?? 'is invalid'}`;
  return {
    reason: error.keyword === 'type' ? 'FieldValueTypeInvalid' : 'FieldValueInvalid',
    field,
    message: `Invalid value: ${error.keyword === 'type' ? `"${typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : Array.isArray(value) ? 'array' : typeof value}"` : describeValue(value)}: ${detail}`,
  };
}
