/**
 * Paths into objects, as findings write them (`spec.http[0].route[1].destination.subset`), as
 * segments (`['spec', 'http', 0, ...]`) and as JSON pointers (`/spec/http/0/...`).
 */

export type PathSegment = string | number;

/** `spec.http[0].route` -> `['spec', 'http', 0, 'route']`; `['a.b']` style keys are read too. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\[['"]([^'"]*)['"]\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(match[3] ?? match[1] ?? '');
  }
  return segments;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['spec', 'http', 0]` -> `spec.http[0]`; keys that are not plain names are quoted (`labels['app.kubernetes.io/name']`). */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `['${segment}']`;
  }
  return path;
}

/** A JSON pointer (`/http/0/weight`, RFC 6901) as segments; all-digit segments become indexes. */
export function pointerSegments(pointer: string): PathSegment[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

export function toPointer(segments: readonly PathSegment[]): string {
  return segments
    .map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}
