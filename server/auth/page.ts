import 'server-only';
import { headers } from 'next/headers';
import { authenticate } from './authenticate';
import { runAsCaller } from './caller';

/**
 * For a server-rendered page that reads the cluster itself: runs `work` as the browser's caller,
 * as apiRoute does for API routes (proxy.ts has already sent callers without credentials to the
 * sign-in page; this authenticates fully, and throws 401 `unauthorized` if that fails).
 */
export async function asPageCaller<T>(work: () => Promise<T>): Promise<T> {
  const requestHeaders = new Headers(await headers());
  const caller = await authenticate({ headers: requestHeaders, host: requestHeaders.get('host') ?? '' });
  return runAsCaller(caller, work);
}
