import 'server-only';
import { AppError, fromKubeError } from '../errors';
import { callerKubeConfig, clusterFromKubeConfig, getDashboardCluster } from '../kube/cluster';
import { type Caller, KUBECONFIG_IDENTITY } from './caller';
import { cookiePort, parseCookies, sessionCookieName } from './cookies';
import { fingerprint, safeEqual } from './crypto';
import { bearerToken, localSessionValue, proxiedIdentity } from './gate';
import { findSession } from './sessions';
import { getAuthSettings } from './settings';

/** What authentication reads of a request: its headers and the Host it was sent to. */
export interface Credentials {
  headers: Headers;
  host: string;
  /** the request's URL, when known: an https: URL names the cookies with port 443 (cookiePort) */
  url?: string;
}

const UNAUTHORIZED = 'Sign in to use Meshscope.';

function kubeconfigUser(): string {
  try {
    return getDashboardCluster().user || 'kubeconfig user';
  } catch {
    return 'kubeconfig user';
  }
}

export interface VerifiedToken {
  user: string;
  groups: string[];
}

/** Successful verifications, by token hash, reused for a minute (scripts send a token per request). */
const VERIFIED_KEY = Symbol.for('meshscope.verifiedTokens');
type WithVerified = typeof globalThis & { [VERIFIED_KEY]?: Map<string, VerifiedToken & { until: number }> };
const VERIFIED_TTL_MS = 60_000;

/**
 * Tokens the cluster refused, by hash, for a few seconds: a client retrying a bad token (or sending
 * random ones) costs the API server one review per token per interval, not one per request.
 */
const REFUSED_KEY = Symbol.for('meshscope.refusedTokens');
type WithRefused = typeof globalThis & { [REFUSED_KEY]?: Map<string, number> };
const REFUSED_TTL_MS = 10_000;
const REFUSED_LIMIT = 10_000;

function refusedToken(cause?: unknown): AppError {
  return new AppError('unauthorized:token', 'The cluster does not accept this token.', { cause });
}

/**
 * Asks the cluster who a bearer token belongs to, with the token itself (SelfSubjectReview, which
 * every authenticated user may create). A token the API server refuses is 401 `unauthorized:token`.
 */
export async function verifyToken(token: string): Promise<VerifiedToken> {
  const holder = globalThis as WithVerified;
  holder[VERIFIED_KEY] ??= new Map();
  const cache = holder[VERIFIED_KEY];
  const key = fingerprint(token);
  const now = Date.now();
  const known = cache.get(key);
  if (known && known.until > now) return { user: known.user, groups: known.groups };
  const refusedHolder = globalThis as WithRefused;
  refusedHolder[REFUSED_KEY] ??= new Map();
  const refused = refusedHolder[REFUSED_KEY];
  const refusedUntil = refused.get(key);
  if (refusedUntil !== undefined && refusedUntil > now) throw refusedToken();
  const base = getDashboardCluster();
  const cluster = clusterFromKubeConfig(
    callerKubeConfig(base.kubeConfig, { kind: 'token', token: () => token }),
  );
  let verified: VerifiedToken;
  try {
    const review = await cluster.authentication.createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    const info = review.status?.userInfo;
    verified = { user: info?.username || 'token user', groups: info?.groups ?? [] };
  } catch (error) {
    const appError = fromKubeError(error, base.server);
    if (appError.code === 'unauthorized:kube') {
      if (refused.size >= REFUSED_LIMIT) refused.clear();
      refused.set(key, now + REFUSED_TTL_MS);
      throw refusedToken(error);
    }
    throw appError;
  }
  if (cache.size > 1_000) cache.clear();
  cache.set(key, { ...verified, until: now + VERIFIED_TTL_MS });
  return verified;
}

function unauthorized(message = UNAUTHORIZED): AppError {
  return new AppError('unauthorized', message);
}

/** Who sends the request; throws 401 `unauthorized` when nobody the mode accepts. */
export async function authenticate({ headers, host, url }: Credentials): Promise<Caller> {
  const settings = getAuthSettings();
  const cookies = parseCookies(headers.get('cookie'));
  const sessionCookie = cookies.get(sessionCookieName(cookiePort(host, headers, url)));
  const bearer = bearerToken(headers);

  if (settings.mode === 'local') {
    const local = (via: Caller['via']): Caller => ({
      mode: 'local',
      user: kubeconfigUser(),
      groups: [],
      via,
      credential: { kind: 'kubeconfig' },
      identityKey: KUBECONFIG_IDENTITY,
      sessionKey: 'local',
    });
    if (bearer !== undefined) {
      if (safeEqual(bearer, settings.launchSecret)) return local('bearer');
      throw unauthorized("The bearer token is not this launch's secret.");
    }
    if (sessionCookie !== undefined && safeEqual(sessionCookie, localSessionValue())) return local('cookie');
    throw unauthorized('Open the link Meshscope printed when it started (it carries the launch secret).');
  }

  if (settings.mode === 'token') {
    if (bearer !== undefined) {
      const verified = await verifyToken(bearer);
      const identityKey = `token:${fingerprint(bearer)}`;
      return {
        mode: 'token',
        ...verified,
        via: 'bearer',
        credential: { kind: 'token', token: () => bearer },
        identityKey,
        sessionKey: identityKey,
      };
    }
    const session = findSession(sessionCookie, settings.sessionIdleMs);
    if (!session) throw unauthorized('Sign in with a Kubernetes token.');
    return {
      mode: 'token',
      user: session.user,
      groups: session.groups,
      via: 'cookie',
      credential: { kind: 'token', token: session.token },
      identityKey: session.identityKey,
      sessionKey: session.id,
    };
  }

  // header mode: the authenticating proxy in front says who it is (only with the proxy's secret).
  const proxied = proxiedIdentity(headers);
  if (proxied?.bearer !== undefined) {
    const token = proxied.bearer;
    const verified = await verifyToken(token);
    return {
      mode: 'header',
      ...verified,
      via: 'proxy',
      credential: { kind: 'token', token: () => token },
      identityKey: proxied.identityKey,
      sessionKey: proxied.identityKey,
    };
  }
  if (proxied?.user !== undefined) {
    return {
      mode: 'header',
      user: proxied.user,
      groups: proxied.groups,
      via: 'proxy',
      credential: { kind: 'impersonate', user: proxied.user, groups: proxied.groups },
      identityKey: proxied.identityKey,
      sessionKey: proxied.identityKey,
    };
  }
  throw unauthorized('The authenticating proxy in front of Meshscope sent no identity.');
}
