import 'server-only';
import { NextResponse } from 'next/server';
import { type AppError, toAppError } from './errors';
import { logger } from './logger';

/** API answers are live views of a cluster: never cached by browsers or proxies. */
export const NO_STORE = { 'cache-control': 'no-store' } as const;

export function jsonResponse<T>(body: T, status = 200): NextResponse<T> {
  return NextResponse.json(body, { status, headers: NO_STORE });
}

/**
 * Logs an error once, as much as it deserves: our own faults (500) with the cause's stack; a
 * dependency that is down (503) or a refused request (4xx) as a warning, whose message already
 * names the cause.
 */
export function logAppError(appError: AppError, route: string): void {
  if (appError.status >= 500 && appError.status !== 503) {
    logger.error({ route, code: appError.code, err: appError.cause ?? appError }, appError.message);
  } else {
    logger.warn({ route, code: appError.code, status: appError.status }, appError.message);
  }
}

/**
 * The one place a thrown error becomes an HTTP answer: logged once, answered with the safe
 * `{code, message}` body and the code's status.
 */
export function errorResponse(error: unknown, route: string): NextResponse {
  const appError = toAppError(error);
  logAppError(appError, route);
  return NextResponse.json(appError.toBody(), { status: appError.status, headers: NO_STORE });
}
