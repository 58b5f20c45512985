/**
 * The weighted routes of a VirtualService spec as the editor shows them: each `http` and `tcp`
 * route with its destinations and their weights (stated, or implied as Istio reads them: 100 for
 * a lone destination, 0 otherwise). Routes without destinations (redirects, direct responses) are
 * left out.
 */
import type { DestinationRef, RouteProtocol, SplitDestination, SplitRoute } from '../types/traffic-split';
import { integer, type Json, list, record, records, text } from '../validation/spec';

export const PROTOCOLS: readonly RouteProtocol[] = ['http', 'tcp'];

export function destinationRefOf(destination: unknown): DestinationRef {
  const fields = record(destination) ?? {};
  const subset = text(fields.subset);
  const port = integer(record(fields.port)?.number);
  return {
    host: text(fields.host) ?? '',
    ...(subset !== undefined && subset !== '' ? { subset } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}

/** Whether two destinations name the same host, subset and port. */
export function sameDestination(a: DestinationRef, b: DestinationRef): boolean {
  return a.host === b.host && (a.subset ?? '') === (b.subset ?? '') && a.port === b.port;
}

export function destinationKey(destination: DestinationRef): string {
  return `${destination.host}|${destination.subset ?? ''}|${destination.port ?? ''}`;
}

/** `reviews v1`, `reviews:9080 v1`: how a destination is named next to its slider. */
export function destinationLabel(destination: DestinationRef): string {
  const host = destination.port === undefined ? destination.host : `${destination.host}:${destination.port}`;
  return destination.subset === undefined ? host : `${host} ${destination.subset}`;
}

function stringMatch(condition: unknown): string {
  const fields = record(condition) ?? {};
  for (const kind of ['exact', 'prefix', 'regex']) {
    const value = text(fields[kind]);
    if (value !== undefined) return `${kind} ${value}`;
  }
  return 'present';
}

/** One `match` entry in words: `uri prefix /api, headers x-env exact canary`. */
function describeMatch(match: Json): string {
  const parts: string[] = [];
  for (const field of ['uri', 'scheme', 'method', 'authority']) {
    if (match[field] !== undefined) parts.push(`${field} ${stringMatch(match[field])}`);
  }
  for (const [name, condition] of Object.entries(record(match.headers) ?? {}))
    parts.push(`header ${name} ${stringMatch(condition)}`);
  for (const [name, condition] of Object.entries(record(match.withoutHeaders) ?? {}))
    parts.push(`without header ${name} ${stringMatch(condition)}`);
  for (const [name, condition] of Object.entries(record(match.queryParams) ?? {}))
    parts.push(`query ${name} ${stringMatch(condition)}`);
  const port = integer(match.port);
  if (port !== undefined) parts.push(`port ${port}`);
  const sourceLabels = record(match.sourceLabels);
  if (sourceLabels) {
    parts.push(
      `from ${Object.entries(sourceLabels)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(',')}`,
    );
  }
  const sourceNamespace = text(match.sourceNamespace);
  if (sourceNamespace !== undefined) parts.push(`from namespace ${sourceNamespace}`);
  const gateways = list(match.gateways).filter((item) => typeof item === 'string');
  if (gateways.length > 0) parts.push(`via ${gateways.join(', ')}`);
  return parts.join(', ') || 'any request';
}

/** A route's destinations with their weights, stated or implied. */
export function routeDestinations(route: Json): SplitDestination[] {
  const entries = records(route.route);
  return entries.map((entry) => {
    const weight = integer(entry.weight);
    return {
      ...destinationRefOf(entry.destination),
      weight: weight ?? (entries.length === 1 ? 100 : 0),
      explicit: weight !== undefined,
    };
  });
}

/** The routes of a VirtualService spec that send to destinations, `http` first, then `tcp`. */
export function splitRoutes(spec: Json): SplitRoute[] {
  const result: SplitRoute[] = [];
  for (const protocol of PROTOCOLS) {
    records(spec[protocol]).forEach((route, index) => {
      const destinations = routeDestinations(route);
      if (destinations.length === 0) return;
      const name = text(route.name);
      result.push({
        protocol,
        index,
        ...(name !== undefined && name !== '' ? { name } : {}),
        match: records(route.match).map(describeMatch),
        destinations,
        candidates: [],
      });
    });
  }
  return result;
}

/** Whether some route sends to more than one destination: a traffic split. */
export function isWeighted(routes: readonly { destinations: readonly unknown[] }[]): boolean {
  return routes.some((route) => route.destinations.length > 1);
}

export function routeKey(route: { protocol?: RouteProtocol; index: number }): string {
  return `${route.protocol ?? 'http'}:${route.index}`;
}

/** `HTTP route 1`, `TCP route 2 (canary)`: how a route is named, 1-based as people count. */
export function routeLabel(route: { protocol: RouteProtocol; index: number; name?: string }): string {
  const base = `${route.protocol.toUpperCase()} route ${route.index + 1}`;
  return route.name === undefined ? base : `${base} (${route.name})`;
}
