/**
 * Test support: every route handler of the app, found from its files (app/api/** /route.ts and
 * app/metrics/route.ts), with sample values for its dynamic segments, so the access tests cover
 * routes added later without being told about them.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CatalogRoute {
  /** `/api/config/[kind]/[namespace]/[name]` */
  pattern: string;
  /** the pattern with sample values: `/api/config/VirtualService/default/reviews` */
  path: string;
  params: Record<string, string>;
  method: HttpMethod;
  handler: Handler;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Values for dynamic segments by name; anything else gets a plausible name. */
const SAMPLE_SEGMENTS: Record<string, string> = {
  kind: 'VirtualService',
  namespace: 'default',
  name: 'reviews',
  service: 'reviews',
  pod: 'reviews-v1-0',
  workload: 'reviews-v1',
};

function routeFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...routeFiles(full));
    else if (entry.name === 'route.ts') found.push(full);
  }
  return found;
}

/** Every route file's path pattern, sorted. */
export function routeFilePatterns(): { file: string; pattern: string }[] {
  return [...routeFiles(path.join(ROOT, 'app/api')), path.join(ROOT, 'app/metrics/route.ts')]
    .map((file) => ({
      file,
      pattern: `/${path.relative(path.join(ROOT, 'app'), path.dirname(file)).split(path.sep).join('/')}`,
    }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** Imports every route module and lists each exported HTTP method with sample parameters. */
export async function loadRouteCatalog(): Promise<CatalogRoute[]> {
  const routes: CatalogRoute[] = [];
  for (const { file, pattern } of routeFilePatterns()) {
    const module = (await import(file)) as Partial<Record<HttpMethod, Handler>>;
    const params: Record<string, string> = {};
    const samplePath = pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_match, name: string) => {
      const value = SAMPLE_SEGMENTS[name] ?? `sample-${name}`;
      params[name] = value;
      return value;
    });
    for (const method of HTTP_METHODS) {
      const handler = module[method];
      if (typeof handler === 'function') routes.push({ pattern, path: samplePath, params, method, handler });
    }
  }
  return routes;
}

/** Calls a route handler the way Next does: the request, and its params as a promise. */
export function callRoute(route: CatalogRoute, request: Request): Promise<Response> {
  return route.handler(request, { params: Promise.resolve(route.params) });
}

/** Routes anyone may call (probes). Everything else must refuse a caller without credentials. */
export const PUBLIC_ROUTES = new Set(['GET /api/healthz', 'GET /api/readyz']);
/** The one route that takes a credential in its body (and so answers 401 to a wrong one). */
export const SIGN_IN_ROUTE = 'POST /api/auth/session';
