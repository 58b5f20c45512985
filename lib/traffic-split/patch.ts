/**
 * The patch builder: turns a traffic-split change into JSON Patch operations on the
 * VirtualService (RFC 6902) that touch only what the change is about:
 *
 * - weights: `/spec/http/N/route/M/weight` (or `tcp`), and only those whose value changes;
 * - destinations added to a route: `/spec/http/N/route/-`;
 * - header rules put in front of a route: `/spec/http/N`.
 *
 * Every route the change touches is preconditioned: a `test` of each of its destinations as they
 * were read comes before any change, so the patch fails rather than weigh the wrong destination.
 * The object's resourceVersion is tested on top of that by server/writes/safe-write.ts.
 */
import type {
  DestinationRef,
  HeaderRouteAddition,
  RouteProtocol,
  RouteWeights,
  SubsetAddition,
  WeightProblem,
} from '../types/traffic-split';
import { type Json, record, records, text } from '../validation/spec';
import { destinationKey, destinationLabel, routeDestinations, routeKey, sameDestination } from './routes';
import { totalProblem, weightProblem } from './weights';

export interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove' | 'test';
  /** JSON pointer into the object, e.g. `/spec/http/0/route/1/weight` */
  path: string;
  value?: unknown;
}

export interface BuiltPatch {
  operations: JsonPatchOperation[];
  /** why (part of) the change cannot be made, in words; no operations for those parts */
  problems: WeightProblem[];
}

/** Paths the weight part of a patch may change. */
export const WEIGHT_PATH = /^\/spec\/(http|tcp)\/\d+\/route\/\d+\/weight$/;
/** Paths that add a destination to a route. */
export const APPEND_DESTINATION_PATH = /^\/spec\/(http|tcp)\/\d+\/route\/-$/;
/** Paths that insert a header rule. */
export const INSERT_ROUTE_PATH = /^\/spec\/http\/\d+$/;

/** An HTTP header name as Istio wants it in a match: lower case, no pseudo-headers. */
const HEADER_NAME = /^[a-z0-9][a-z0-9!#$%&'*+.^_`|~-]*$/;

export function destinationValue(destination: DestinationRef): Json {
  return {
    host: destination.host,
    ...(destination.subset !== undefined ? { subset: destination.subset } : {}),
    ...(destination.port !== undefined ? { port: { number: destination.port } } : {}),
  };
}

interface RouteEditResult {
  tests: JsonPatchOperation[];
  changes: JsonPatchOperation[];
  problems: WeightProblem[];
}

function routeEdit(spec: Json, edit: RouteWeights): RouteEditResult {
  const protocol: RouteProtocol = edit.protocol ?? 'http';
  const problems: WeightProblem[] = [];
  const problem = (message: string, destination?: number) =>
    problems.push({
      protocol,
      index: edit.index,
      ...(destination !== undefined ? { destination } : {}),
      message,
    });
  const none = { tests: [], changes: [], problems };
  const route = records(spec[protocol])[edit.index];
  const label = `${protocol.toUpperCase()} route ${edit.index + 1}`;
  if (route === undefined || !Number.isInteger(edit.index)) {
    problem(`${label} does not exist in this VirtualService (it has ${records(spec[protocol]).length}).`);
    return none;
  }
  const stored = records(route.route);
  const current = routeDestinations(route);
  if (current.length === 0) {
    problem(`${label} has no destinations to weigh.`);
    return none;
  }
  if (edit.weights.length < current.length) {
    problem(
      `${label} has ${current.length} destinations; the change gives weights for ${edit.weights.length}. Reload and try again.`,
    );
    return none;
  }
  edit.weights.forEach((entry, position) => {
    const existing = current[position];
    if (existing !== undefined && !sameDestination(existing, entry)) {
      problem(
        `Destination ${position + 1} of ${label} is ${destinationLabel(existing)}, not ${destinationLabel(entry)}. Reload and try again.`,
        position,
      );
    }
    if (position >= current.length && entry.host.trim() === '')
      problem('A destination to add needs a host.', position);
    const bad = weightProblem(entry.weight);
    if (bad !== undefined) problem(`Weight of ${destinationLabel(entry)}: ${bad}`, position);
  });
  const seen = new Set<string>();
  edit.weights.forEach((entry, position) => {
    const key = destinationKey(entry);
    if (seen.has(key)) problem(`${destinationLabel(entry)} is listed twice in ${label}.`, position);
    seen.add(key);
  });
  const total = totalProblem(edit.weights.map((entry) => entry.weight));
  if (total !== undefined) problem(total);
  if (problems.length > 0) return none;

  const base = `/spec/${protocol}/${edit.index}/route`;
  const tests: JsonPatchOperation[] = stored.map((entry, position) => ({
    op: 'test',
    path: `${base}/${position}/destination`,
    value: record(entry.destination) ?? null,
  }));
  const changes: JsonPatchOperation[] = [];
  const count = edit.weights.length;
  current.forEach((destination, position) => {
    const weight = edit.weights[position]?.weight ?? 0;
    const mustState = !destination.explicit && weight > 0 && count > 1;
    if (weight === destination.weight && !mustState) return;
    changes.push({
      op: destination.explicit ? 'replace' : 'add',
      path: `${base}/${position}/weight`,
      value: weight,
    });
  });
  for (const entry of edit.weights.slice(current.length)) {
    changes.push({
      op: 'add',
      path: `${base}/-`,
      value: { destination: destinationValue(entry), weight: entry.weight },
    });
  }
  return { tests, changes, problems };
}

/** A route name for a header rule: `x-env-canary`. */
export function headerRouteName(header: string, value: string): string {
  return `${header}-${value}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}

function headerRoute(
  spec: Json,
  addition: HeaderRouteAddition,
): { operation?: JsonPatchOperation; problems: WeightProblem[] } {
  const problems: WeightProblem[] = [];
  const problem = (message: string) =>
    problems.push({ protocol: 'http', index: addition.beforeIndex, message });
  const routes = records(spec.http);
  if (
    !Number.isInteger(addition.beforeIndex) ||
    addition.beforeIndex < 0 ||
    addition.beforeIndex > routes.length
  )
    problem(`There is no HTTP route ${addition.beforeIndex + 1} to put a header rule in front of.`);
  if (!HEADER_NAME.test(addition.header))
    problem(
      `"${addition.header}" is not a header name Istio matches: use lower case letters, digits and hyphens.`,
    );
  if (addition.value === '') problem('The header rule needs a value to match.');
  if (addition.destination.host.trim() === '') problem('The header rule needs a destination host.');
  if (problems.length > 0) return { problems };
  return {
    operation: {
      op: 'add',
      path: `/spec/http/${addition.beforeIndex}`,
      value: {
        name: headerRouteName(addition.header, addition.value),
        match: [{ headers: { [addition.header]: { exact: addition.value } } }],
        route: [{ destination: destinationValue(addition.destination) }],
      },
    },
    problems,
  };
}

/**
 * The JSON Patch for a change to a VirtualService spec: destination tests of every touched route
 * first, then weights and added destinations (positions as read), then header rules from the
 * last position to the first so that each insertion leaves the earlier positions as read.
 */
export function buildSplitPatch(
  spec: Json,
  change: { routes: readonly RouteWeights[]; headerRoutes?: readonly HeaderRouteAddition[] },
): BuiltPatch {
  const problems: WeightProblem[] = [];
  const tests: JsonPatchOperation[] = [];
  const changes: JsonPatchOperation[] = [];
  const edited = new Set<string>();
  for (const edit of change.routes) {
    const key = routeKey(edit);
    if (edited.has(key)) {
      problems.push({
        protocol: edit.protocol ?? 'http',
        index: edit.index,
        message: 'The route is changed twice in one request.',
      });
      continue;
    }
    edited.add(key);
    const result = routeEdit(spec, edit);
    tests.push(...result.tests);
    changes.push(...result.changes);
    problems.push(...result.problems);
  }
  const inserts = [...(change.headerRoutes ?? [])].sort((a, b) => b.beforeIndex - a.beforeIndex);
  for (const addition of inserts) {
    const result = headerRoute(spec, addition);
    problems.push(...result.problems);
    if (result.operation) changes.push(result.operation);
  }
  if (problems.length > 0) return { operations: [], problems };
  return { operations: [...tests, ...changes], problems };
}

/** What a DestinationRule's subsets are named. */
export function subsetNames(spec: Json): string[] {
  return records(spec.subsets)
    .map((subset) => text(subset.name))
    .filter((name): name is string => name !== undefined);
}

/**
 * Operations adding subsets to a DestinationRule spec (only `/spec/subsets`); subsets it already
 * has by name are skipped.
 */
export function buildSubsetPatch(spec: Json, additions: readonly SubsetAddition[]): JsonPatchOperation[] {
  const existing = new Set(subsetNames(spec));
  const wanted = additions.filter((addition) => !existing.has(addition.name));
  const values = wanted.map((addition) => ({ name: addition.name, labels: { ...addition.labels } }));
  if (values.length === 0) return [];
  if (!Array.isArray(spec.subsets)) return [{ op: 'add', path: '/spec/subsets', value: values }];
  return values.map((value) => ({ op: 'add', path: '/spec/subsets/-', value }));
}
