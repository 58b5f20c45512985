import { usageError } from './errors';

/** A TCP port from a flag: 0 (any free port) to 65535. */
export function parsePort(flag: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65_535) {
    throw usageError(`--${flag} must be a port number between 0 and 65535, got "${value}"`);
  }
  return port;
}

/** A whole number of at least `min` from a flag. */
export function parseInteger(flag: string, value: string, min: number): number {
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < min) {
    throw usageError(`--${flag} must be a whole number of at least ${min}, got "${value}"`);
  }
  return parsed;
}

/** An http(s) URL from a flag. */
export function parseHttpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`--${flag} must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--${flag} must be an http(s) URL, got "${value}"`);
  }
  return value;
}

/** Whether a listen address only accepts connections from this machine. */
export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** The URL to open for a server listening on `address`:`port` (wildcards shown as loopback). */
export function browserUrl(address: string, port: number): string {
  if (address === '0.0.0.0') return `http://127.0.0.1:${port}/`;
  if (address === '::') return `http://[::1]:${port}/`;
  return address.includes(':') ? `http://[${address}]:${port}/` : `http://${address}:${port}/`;
}
