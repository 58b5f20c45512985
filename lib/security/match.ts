/**
 * The value matchers of Istio's AuthorizationPolicy, as istiod translates them for Envoy: `*`
 * (any non-empty value), `prefix*`, `*suffix` and exact values; path templates `{*}` and `{**}`;
 * IP addresses and CIDR blocks (IPv4 and IPv6).
 */

/** Istio's string match: `*` = present and non-empty, `abc*` = prefix, `*abc` = suffix, else exact. */
export function matchesValue(
  pattern: string,
  value: string,
  options: { ignoreCase?: boolean } = {},
): boolean {
  const p = options.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = options.ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return v !== '';
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return p === v;
}

/** Whether a path pattern uses Istio's templates (`/api/{*}/items`, `/files/{**}`). */
function isTemplate(pattern: string): boolean {
  return pattern.includes('{*}') || pattern.includes('{**}');
}

/**
 * Istio's path match: templates (`{*}` one segment, `{**}` any rest, last only), else the string
 * match. The query string is not part of the path.
 */
export function matchesPath(pattern: string, path: string): boolean {
  if (!isTemplate(pattern)) return matchesValue(pattern, path);
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  for (let index = 0; index < patternParts.length; index++) {
    const part = patternParts[index];
    if (part === '{**}') return pathParts.length > index && pathParts.slice(index).join('/') !== '';
    const actual = pathParts[index];
    if (actual === undefined) return false;
    if (part === '{*}') {
      if (actual === '') return false;
      continue;
    }
    if (part !== actual) return false;
  }
  return patternParts.length === pathParts.length;
}

/** An IP address as a number and its family, or undefined when it is not one. */
function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const octets = text.split('.').map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    return { family: 4, value: octets.reduce((total, octet) => total * 256n + BigInt(octet), 0n) };
  }
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const all = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return { family: 6, value: all.reduce((total, group) => total * 65536n + BigInt(`0x${group}`), 0n) };
}

/** Whether `block` (an address or a CIDR block) is well formed. */
export function isIpBlock(block: string): boolean {
  const [base, bits, extra] = block.split('/');
  if (extra !== undefined || base === undefined) return false;
  const ip = parseIp(base);
  if (!ip) return false;
  if (bits === undefined) return true;
  const width = ip.family === 4 ? 32 : 128;
  return /^\d+$/.test(bits) && Number(bits) <= width;
}

/** Whether `ip` is `block` (an address) or inside it (a CIDR block). Malformed input never matches. */
export function ipInBlock(ip: string, block: string): boolean {
  const address = parseIp(ip);
  const [base, bits] = block.split('/');
  const network = base === undefined ? undefined : parseIp(base);
  if (!address || !network || address.family !== network.family) return false;
  const width = address.family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return false;
  const shift = BigInt(width - prefix);
  return address.value >> shift === network.value >> shift;
}
