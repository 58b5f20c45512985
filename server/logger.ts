import 'server-only';
import pino from 'pino';
import { getConfig } from './config';

/**
 * Paths whose values never reach the logs: credentials in headers, tokens, cookies, the launch
 * secret, a caller's credential and kubeconfig user entries, wherever a caller nests them (one or
 * two levels deep). Audit records name the user (server/auth/caller.ts `user`), never a token.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'token',
  'bearerToken',
  'password',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'request.headers.authorization',
  '*.authorization',
  '*.token',
  '*.bearerToken',
  '*.password',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.user.token',
  '*.user.password',
  '*.cookie',
  'launchSecret',
  '*.launchSecret',
  'headers["x-csrf-token"]',
  '*.headers["x-csrf-token"]',
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  'credential',
  '*.credential',
];

/** A broken configuration is reported by the code that needs it; the logger still logs. */
function configuredLevel(): string {
  try {
    return getConfig().logLevel;
  } catch {
    return 'info';
  }
}

/** The one logger of the dashboard server: JSON lines on stdout. */
export const logger = pino({
  name: 'meshscope',
  level: configuredLevel(),
  redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  serializers: { err: pino.stdSerializers.err },
});
