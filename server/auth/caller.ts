import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuthMode } from './settings';

/** How a caller's cluster calls are authenticated. Secrets are behind functions so they never serialise. */
export type CallerCredential =
  | { kind: 'kubeconfig' }
  | { kind: 'token'; token: () => string }
  | { kind: 'impersonate'; user: string; groups: string[] };

/** Who is asking, as apiRoute (or a server-rendered page) established it. */
export interface Caller {
  mode: AuthMode;
  /** the user name to show and to write in audit records; never a credential */
  user: string;
  groups: string[];
  /** what carried the credential: a browser cookie, a script's bearer header, or an authenticating proxy */
  via: 'cookie' | 'bearer' | 'proxy';
  credential: CallerCredential;
  /** names the cluster identity (`kubeconfig`, or a hash of the token / impersonated user) */
  identityKey: string;
  /** what the CSRF token is bound to (the session, the launch, or the proxied identity) */
  sessionKey: string;
}

export const KUBECONFIG_IDENTITY = 'kubeconfig';

const CALLER_KEY = Symbol.for('meshscope.callerStorage');
type WithStorage = typeof globalThis & { [CALLER_KEY]?: AsyncLocalStorage<Caller | 'dashboard'> };

/** One store per process, shared by the route bundles Next loads separately. */
function storage(): AsyncLocalStorage<Caller | 'dashboard'> {
  const holder = globalThis as WithStorage;
  holder[CALLER_KEY] ??= new AsyncLocalStorage();
  return holder[CALLER_KEY];
}

/** Runs `work` (and everything it starts) as `caller`: getCluster() and the caches follow it. */
export function runAsCaller<T>(caller: Caller, work: () => T): T {
  return storage().run(caller, work);
}

/**
 * Runs `work` as the dashboard itself (its kubeconfig or service account), explicitly: health
 * probes only. In token and header modes nothing else may use that identity.
 */
export function runAsDashboard<T>(work: () => T): T {
  return storage().run('dashboard', work);
}

/** The caller of the work in progress; `'dashboard'` inside runAsDashboard; undefined outside both. */
export function currentCaller(): Caller | 'dashboard' | undefined {
  return storage().getStore();
}

/** The identity the work in progress runs as: the caller's key, or the kubeconfig's. */
export function currentIdentityKey(): string {
  const caller = currentCaller();
  return caller === undefined || caller === 'dashboard' ? KUBECONFIG_IDENTITY : caller.identityKey;
}
