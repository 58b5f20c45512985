import { randomBytes } from 'node:crypto';
import { usageError } from '../cli/errors';
import { browserUrl } from '../cli/values';

/** The access modes of README "Access" (server/auth/settings.ts reads what this sets). */
export const AUTH_MODES = ['local', 'token', 'header'] as const;
export type AuthModeFlag = (typeof AUTH_MODES)[number];

export function parseAuthMode(value: string | undefined): AuthModeFlag {
  const mode = value ?? process.env.MESHSCOPE_AUTH_MODE ?? 'local';
  if (!(AUTH_MODES as readonly string[]).includes(mode)) {
    throw usageError(`--auth must be one of ${AUTH_MODES.join(', ')} (got "${mode}")`);
  }
  return mode as AuthModeFlag;
}

export interface AccessOptions {
  mode: AuthModeFlag;
  /** the port the dashboard listens on */
  port: number;
  /** extra Host names, comma-separated (MESHSCOPE_ALLOWED_HOSTS) */
  allowedHosts?: string | undefined;
}

/**
 * Sets the access variables before the app is loaded in this process: the mode, the bound port
 * (Host allow-list) and, in local mode, the launch secret (MESHSCOPE_LAUNCH_SECRET if set, else a
 * random one for this launch).
 */
export function applyAccessEnv(options: AccessOptions): void {
  if (options.mode === 'header' && (process.env.MESHSCOPE_PROXY_SECRET ?? '').length < 16) {
    throw usageError(
      '--auth header needs MESHSCOPE_PROXY_SECRET (at least 16 characters): the secret the authenticating proxy sends in X-Meshscope-Proxy-Secret',
    );
  }
  process.env.MESHSCOPE_AUTH_MODE = options.mode;
  process.env.MESHSCOPE_PORT = String(options.port);
  if (options.allowedHosts !== undefined) process.env.MESHSCOPE_ALLOWED_HOSTS = options.allowedHosts;
  if (!process.env.MESHSCOPE_LAUNCH_SECRET) {
    process.env.MESHSCOPE_LAUNCH_SECRET = randomBytes(24).toString('base64url');
  }
}

/**
 * The URL to open: in local mode it carries the launch secret, which the dashboard turns into an
 * HttpOnly cookie and removes from the address bar. Printed once, on the terminal that started it.
 */
export function readyUrl(address: string, port: number, mode: AuthModeFlag): string {
  const base = browserUrl(address, port);
  const secret = process.env.MESHSCOPE_LAUNCH_SECRET;
  return mode === 'local' && secret ? `${base}?launch=${encodeURIComponent(secret)}` : base;
}
