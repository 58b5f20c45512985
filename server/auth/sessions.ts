import 'server-only';
import { fingerprint, randomToken } from './crypto';

/** A signed-in token-mode user. The token stays on the server; the browser holds only the id. */
export interface Session {
  id: string;
  user: string;
  groups: string[];
  /** the user's Kubernetes bearer token, behind a function so it never serialises into logs */
  token: () => string;
  /** hash of the token: keys the per-identity cluster, caches and telemetry */
  identityKey: string;
  createdAt: number;
  lastSeenAt: number;
}

/** Sessions end this long after sign-in whatever the activity, in milliseconds. */
const MAX_SESSION_MS = 12 * 60 * 60_000;
/** Upper bound of live sessions; the least recently used is dropped beyond it. */
const MAX_SESSIONS = 1_000;

const STORE_KEY = Symbol.for('meshscope.sessions');
type WithStore = typeof globalThis & { [STORE_KEY]?: Map<string, Session> };

/** One store per process (the page proxy and the route bundles are separate module graphs). */
function store(): Map<string, Session> {
  const holder = globalThis as WithStore;
  holder[STORE_KEY] ??= new Map();
  return holder[STORE_KEY];
}

export function createSession(token: string, user: string, groups: string[], now = Date.now()): Session {
  const sessions = store();
  if (sessions.size >= MAX_SESSIONS) {
    const oldest = [...sessions.values()].sort((a, b) => a.lastSeenAt - b.lastSeenAt)[0];
    if (oldest) sessions.delete(oldest.id);
  }
  const session: Session = {
    id: randomToken(),
    user,
    groups,
    token: () => token,
    identityKey: `token:${fingerprint(token)}`,
    createdAt: now,
    lastSeenAt: now,
  };
  sessions.set(session.id, session);
  return session;
}

/** The live session of `id`, touched; undefined when unknown, idle too long or too old. */
export function findSession(id: string | undefined, idleMs: number, now = Date.now()): Session | undefined {
  if (id === undefined || id === '') return undefined;
  const sessions = store();
  const session = sessions.get(id);
  if (!session) return undefined;
  if (now - session.lastSeenAt > idleMs || now - session.createdAt > MAX_SESSION_MS) {
    sessions.delete(id);
    return undefined;
  }
  session.lastSeenAt = now;
  return session;
}

export function deleteSession(id: string | undefined): void {
  if (id !== undefined) store().delete(id);
}
