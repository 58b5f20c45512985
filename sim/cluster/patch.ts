/**
 * The three PATCH flavours kube-apiserver accepts, as pure functions over decoded JSON:
 * JSON merge patch (RFC 7386), JSON patch (RFC 6902) and the strategic merge patch kubectl sends for
 * built-in kinds. None mutates its inputs; each returns a fresh document sharing nothing with them.
 */
import jsonPatch, { type Operation } from 'fast-json-patch';
import { statusErrors } from './status-error';
import { isPlainObject } from './types';

type JsonMap = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------
// Shared helpers

/**
 * Reads only own keys: `map['__proto__']` on a plain object is Object.prototype, and merging a patch
 * into that would pollute every object in the process.
 */
function ownValue(map: JsonMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Defines rather than assigns, so a `__proto__` key from a parsed body stays an ordinary key. */
function setOwn(map: JsonMap, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/** How Go's encoding/json names a JSON value's type in "cannot unmarshal X into ..." messages. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

// ---------------------------------------------------------------------------------------------------
// JSON merge patch (RFC 7386)

/** RFC 7386: `null` deletes a key, objects merge recursively, anything else (arrays too) replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(structuredClone(target), patch);
}

/** Merges `patch` into `target`, which this module owns and may mutate. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result = isPlainObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setOwn(result, key, mergeInto(ownValue(result, key), value));
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// JSON patch (RFC 6902)

/**
 * RFC 6902 via fast-json-patch. A body that is not a list of objects cannot be decoded (400, as
 * kube-apiserver answers); an operation that cannot be applied is 422 with evanphx/json-patch's wording.
 */
export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) {
    throw statusErrors.badRequest(
      `json: cannot unmarshal ${jsonKind(operations)} into Go value of type jsonpatch.Patch`,
    );
  }
  // Cloned because fast-json-patch inserts operation values by reference and mutates operations.
  const parsed = operations.map((raw, index) => toOperation(structuredClone(raw), index));
  let document = structuredClone(target);
  for (const [index, operation] of parsed.entries()) {
    document = applyOperation(document, operation, index);
  }
  return document;
}

/** Checks one decoded operation's shape, so fast-json-patch only ever sees RFC 6902 operations. */
function toOperation(raw: unknown, index: number): Operation {
  if (!isPlainObject(raw)) {
    throw statusErrors.badRequest(
      `json: cannot unmarshal ${jsonKind(raw)} into Go value of type jsonpatch.Operation`,
    );
  }
  const { op, path, from } = raw;
  if (typeof path !== 'string') throw statusErrors.unprocessable(`operation ${index} is missing path`);
  switch (op) {
    case 'add':
    case 'replace':
    case 'test':
      if (!Object.hasOwn(raw, 'value')) {
        throw statusErrors.unprocessable(`${op} operation does not apply: missing value for path "${path}"`);
      }
      return { op, path, value: raw.value };
    case 'remove':
      return { op, path };
    case 'move':
    case 'copy':
      if (typeof from !== 'string') {
        throw statusErrors.unprocessable(`${op} operation does not apply: missing from for path "${path}"`);
      }
      // RFC 6902 §4.4: a location cannot be moved into one of its children (the library would crash).
      if (op === 'move' && path.startsWith(`${from}/`)) {
        throw statusErrors.unprocessable(`move operation does not apply: "${path}" is a child of "${from}"`);
      }
      return { op, path, from };
    default:
      throw statusErrors.unprocessable(`Unexpected kind: ${String(op)}`);
  }
}

function applyOperation(document: unknown, operation: Operation, index: number): unknown {
  try {
    return jsonPatch.applyOperation(document, operation, true, true, true, index).newDocument;
  } catch (error) {
    if (error instanceof jsonPatch.JsonPatchError) {
      throw statusErrors.unprocessable(failureMessage(error, operation));
    }
    // fast-json-patch refuses `__proto__` paths with a TypeError.
    if (error instanceof TypeError) {
      throw statusErrors.unprocessable(`${operation.op} operation does not apply: ${error.message}`);
    }
    throw error;
  }
}

/** kube-apiserver-like wording (evanphx/json-patch) instead of the library's multi-line dump. */
function failureMessage(error: InstanceType<typeof jsonPatch.JsonPatchError>, operation: Operation): string {
  const { op, path } = operation;
  switch (error.name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${op} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${op} operation does not apply: doc is missing from path: "${'from' in operation ? operation.from : ''}": missing value`;
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX':
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
      return `${op} operation does not apply: invalid index referenced in path "${path}"`;
    default:
      return `${op} operation is invalid: ${error.message.split('\n')[0] ?? error.name}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Strategic merge patch (built-in kinds)

const PATCH_DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/**
 * The list fields of built-in kinds whose `patchStrategy` is `merge`, with their `patchMergeKey`. The
 * simulator has no OpenAPI schema to look them up, so they are known by field name; every other list
 * is replaced wholesale. `ports` is resolved per list: see mergeKeyFor.
 */
const MERGE_KEYS: ReadonlyMap<string, string> = new Map([
  ['containers', 'name'],
  ['initContainers', 'name'],
  ['ephemeralContainers', 'name'],
  ['env', 'name'],
  ['volumes', 'name'],
  ['imagePullSecrets', 'name'],
  ['secrets', 'name'],
  ['volumeMounts', 'mountPath'],
  ['ownerReferences', 'uid'],
  ['conditions', 'type'],
]);

/** Lists of primitives merged as sets: the patch's values are added to the stored ones. */
const SET_LISTS: ReadonlySet<string> = new Set(['finalizers']);

/**
 * A container's `ports` merge by `containerPort` but a Service's `spec.ports` by `port`; the items
 * tell which list this is.
 */
function mergeKeyFor(field: string, ...lists: unknown[][]): string | undefined {
  if (field !== 'ports') return MERGE_KEYS.get(field);
  const isContainerPort = (item: unknown) => isPlainObject(item) && Object.hasOwn(item, 'containerPort');
  return lists.some((list) => list.some(isContainerPort)) ? 'containerPort' : 'port';
}

function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS ||
    key.startsWith(SET_ELEMENT_ORDER) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST)
  );
}

/**
 * Kubernetes strategic merge patch as kubectl sends it (apply, patch, rollout restart, set image):
 * merge patch semantics plus lists merged by key and the `$patch`, `$retainKeys`,
 * `$setElementOrder/` and `$deleteFromPrimitiveList/` directives, none of which is stored.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) {
    throw statusErrors.badRequest(
      `json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`,
    );
  }
  const original = isPlainObject(target) ? structuredClone(target) : {};
  // `$patch: delete` on the whole object leaves an empty one, as in apimachinery.
  return mergeMap(original, patch) ?? {};
}

/** Merges a patch map into `original` (owned, mutated); undefined when the patch deletes the map. */
function mergeMap(original: JsonMap, patch: JsonMap): JsonMap | undefined {
  const directive = ownValue(patch, PATCH_DIRECTIVE);
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return mergeMapFields({}, patch);
  if (directive !== undefined && directive !== 'merge') throw badPatchType(directive);
  return mergeMapFields(original, patch);
}

function mergeMapFields(original: JsonMap, patch: JsonMap): JsonMap {
  const result = retainKeys(original, patch);
  deleteFromPrimitiveLists(result, patch);
  for (const [key, value] of Object.entries(patch)) {
    if (isDirectiveKey(key)) continue;
    const merged = value === null ? undefined : mergeField(key, ownValue(result, key), value);
    if (merged === undefined) delete result[key];
    else setOwn(result, key, merged);
  }
  applyElementOrders(result, patch);
  return result;
}

/** A patch value for one field: maps merge, lists merge by the field's strategy, the rest replaces. */
function mergeField(field: string, original: unknown, patch: unknown): unknown {
  if (isPlainObject(patch)) return mergeMap(isPlainObject(original) ? original : {}, patch);
  if (Array.isArray(patch)) return mergeList(field, Array.isArray(original) ? original : [], patch);
  return patch;
}

/** A patch map taken as a new value: merged into nothing, which drops its nulls and directives. */
function materialize(patch: JsonMap): JsonMap {
  return mergeMapFields({}, patch);
}

/** `$retainKeys`: the map keeps only the listed fields, and the patch may set no others. */
function retainKeys(original: JsonMap, patch: JsonMap): JsonMap {
  const keys = ownValue(patch, RETAIN_KEYS);
  if (keys === undefined) return original;
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) throw badRetainKeys();
  const retained = new Set(keys);
  const outside = Object.entries(patch).some(
    ([key, value]) => value !== null && !isDirectiveKey(key) && !retained.has(key),
  );
  if (outside) throw badRetainKeys();
  const result: JsonMap = {};
  for (const [key, value] of Object.entries(original)) {
    if (retained.has(key)) setOwn(result, key, value);
  }
  return result;
}

/** `$deleteFromPrimitiveList/<list>`: drops those values, before the patch's own `<list>` is merged. */
function deleteFromPrimitiveLists(result: JsonMap, patch: JsonMap): void {
  for (const [key, values] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    if (!Array.isArray(values)) throw statusErrors.badRequest('invalid patch format of primitive list');
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    const list = ownValue(result, field);
    if (Array.isArray(list)) setOwn(result, field, without(list, values));
  }
}

function without(list: unknown[], values: unknown[]): unknown[] {
  return list.filter((item) => !values.includes(item));
}

function mergeList(field: string, original: unknown[], patch: unknown[]): unknown[] {
  if (SET_LISTS.has(field)) return [...new Set([...original, ...structuredClone(patch)])];
  const mergeKey = mergeKeyFor(field, patch, original);
  if (mergeKey === undefined || !patch.every(isPlainObject)) return structuredClone(patch);
  return mergeKeyedList(original, patch, mergeKey);
}

/** A list of maps merged item by item on `mergeKey`, honouring `$patch` items. */
function mergeKeyedList(original: unknown[], patch: JsonMap[], mergeKey: string): unknown[] {
  const items = patch.filter((item) => !Object.hasOwn(item, PATCH_DIRECTIVE));
  const directives = patch.filter((item) => Object.hasOwn(item, PATCH_DIRECTIVE));
  if (directives.some((item) => item[PATCH_DIRECTIVE] === 'replace')) return items.map(materialize);

  let result = original;
  for (const item of directives) {
    const directive = item[PATCH_DIRECTIVE];
    if (directive === 'delete') {
      const key = requireMergeKey(item, mergeKey);
      result = result.filter((existing) => !hasMergeKey(existing, mergeKey, key));
    } else if (directive === 'merge') {
      items.push(item);
    } else {
      throw badPatchType(directive);
    }
  }
  for (const item of items) {
    const key = requireMergeKey(item, mergeKey);
    const index = result.findIndex((existing) => hasMergeKey(existing, mergeKey, key));
    const existing = result[index];
    if (isPlainObject(existing)) result[index] = mergeMapFields(existing, item);
    else result.push(materialize(item));
  }
  return result;
}

function hasMergeKey(item: unknown, mergeKey: string, key: unknown): boolean {
  return isPlainObject(item) && ownValue(item, mergeKey) === key;
}

function requireMergeKey(item: JsonMap, mergeKey: string): unknown {
  const key = ownValue(item, mergeKey);
  if (key === undefined) {
    throw statusErrors.badRequest(
      `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`,
    );
  }
  return key;
}

/**
 * `$setElementOrder/<list>`: the named items first, in the order given; items the order does not name
 * (such as a sidecar injected on the server) keep their relative order after them.
 */
function applyElementOrders(result: JsonMap, patch: JsonMap): void {
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!Array.isArray(order)) throw statusErrors.badRequest('invalid patch format of setElementOrder list');
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const list = ownValue(result, field);
    if (Array.isArray(list)) setOwn(result, field, reorder(list, order, mergeKeyFor(field, order, list)));
  }
}

function reorder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  // Keyed lists name their items by merge key (`{name: reviews}`); primitive lists by value.
  const identify = (item: unknown) =>
    mergeKey !== undefined && isPlainObject(item) ? ownValue(item, mergeKey) : item;
  const placed = new Set<number>();
  for (const wanted of order.map(identify)) {
    const index = list.findIndex((item, at) => !placed.has(at) && identify(item) === wanted);
    if (index >= 0) placed.add(index);
  }
  const unnamed = list.filter((_, at) => !placed.has(at));
  return [...[...placed].map((at) => list[at]), ...unnamed];
}

function badPatchType(directive: unknown): Error {
  return statusErrors.badRequest(`unknown patch type: ${JSON.stringify(directive)}`);
}

function badRetainKeys(): Error {
  return statusErrors.badRequest('invalid patch format of retainKeys');
}

// ---------------------------------------------------------------------------------------------------
// Preconditions

/**
 * `metadata.resourceVersion` carried in a merge or strategic patch body: clients (kubectl diff among
 * them) send it as an optimistic-concurrency precondition. An empty string asks for none.
 */
export function preconditionResourceVersion(patch: unknown): string | undefined {
  if (!isPlainObject(patch)) return undefined;
  const metadata = ownValue(patch, 'metadata');
  if (!isPlainObject(metadata)) return undefined;
  const resourceVersion = ownValue(metadata, 'resourceVersion');
  return typeof resourceVersion === 'string' && resourceVersion !== '' ? resourceVersion : undefined;
}
