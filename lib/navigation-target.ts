/**
 * Where to go after signing in: a path of this site only. Anything else (absolute URLs,
 * protocol-relative `//host`, `/\host` which browsers read as `//host`, control characters) is `/`.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/';
  if (value.startsWith('//') || value.includes('\\')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  try {
    const base = 'http://meshscope.invalid';
    return new URL(value, base).origin === base ? value : '/';
  } catch {
    return '/';
  }
}

/** A URL path segment decoded, or undefined when its percent-encoding is broken (`%zz`). */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
