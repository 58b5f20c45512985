import 'server-only';
import pino from 'pino';
import { getConfig } from './config';

/**
 * Paths whose values never reach the logs: credentials in headers, tokens, and kubeconfig
 * user entries, wherever a caller nests them (one or two levels deep).
 */
const REDACTED_PATHS = [
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
