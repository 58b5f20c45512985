import 'server-only';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { duplexPair, Writable } from 'node:stream';
import { type KubeConfig, PortForward } from '@kubernetes/client-node';
import { AppError } from '../errors';
import { getCluster } from '../kube/cluster';
import { counter, histogram } from '../metrics';

/**
 * Envoy's admin API of a pod's sidecar. Istio binds it to localhost:15000 in the pod, so the API
 * server's pod proxy cannot reach it; like `istioctl` and Kiali, each request goes through
 * `pods/NAME/portforward` (a WebSocket, `get`/`create` on `pods/portforward`), one HTTP/1.1
 * `GET` per forward, `Connection: close`. Only the paths below, each with its own query
 * parameters, are ever sent: the admin API also has endpoints that change or stop the proxy
 * (`/quitquitquit`, `/logging`, `/runtime_modify`, `/healthcheck/fail`), and those stay out of
 * reach. Requests are bounded three ways: a deadline each, a cap on the answer's size, and a cap
 * on how many are in flight for the whole process.
 */

export const ENVOY_ADMIN_PORT = 15000;

/** The admin paths Meshscope may read, with the query parameters each accepts. */
export const ENVOY_ADMIN_PATHS = {
  '/clusters': ['format'],
  '/config_dump': ['resource', 'mask', 'name_regex', 'include_eds'],
  '/stats/prometheus': ['filter', 'usedonly'],
  '/server_info': [],
  '/ready': [],
} as const satisfies Record<string, readonly string[]>;

export type EnvoyAdminPath = keyof typeof ENVOY_ADMIN_PATHS;

export interface EnvoyAdminRequest {
  namespace: string;
  pod: string;
  path: EnvoyAdminPath;
  query?: Record<string, string>;
}

export interface EnvoyAdminResponse {
  status: number;
  contentType: string;
  body: string;
  /** wall time of the whole request, port-forward included, in milliseconds */
  durationMs: number;
}

/** What the resilience poller and others need: one GET of an allow-listed admin path. */
export interface EnvoyAdmin {
  /** Resolves with a 2xx answer; throws AppError `unavailable:envoy`, `forbidden:kube`, `not-found`. */
  get(request: EnvoyAdminRequest): Promise<EnvoyAdminResponse>;
}

export interface EnvoyAdminOptions {
  /** deadline of one request, port-forward set-up included, in milliseconds (default 5 s) */
  timeoutMs?: number;
  /**
   * requests in flight at once for this client; unset, the process-wide limit of 8 shared by every
   * caller's client (token mode has one per signed-in user)
   */
  concurrency?: number;
  /** largest answer read, in bytes (default 32 MiB: a big mesh's config_dump) */
  maxBytes?: number;
}

const defaults = { timeoutMs: 5_000, concurrency: 8, maxBytes: 32 * 2 ** 20 };

/** Kubernetes names: a request line and a WebSocket path are built from them. */
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * `/clusters?format=json` → the path and query, or an AppError `invalid:envoy-admin` naming what
 * is not allowed. Only `GET` exists in this client, so a path is all there is to check.
 */
export function checkedAdminPath(
  path: string,
  query: Record<string, string> = {},
): { path: EnvoyAdminPath; search: string } {
  if (!Object.hasOwn(ENVOY_ADMIN_PATHS, path)) {
    throw new AppError('invalid:envoy-admin', `Envoy admin path ${path} is not one Meshscope reads`, {
      details: { allowed: Object.keys(ENVOY_ADMIN_PATHS) },
    });
  }
  const allowed: readonly string[] = ENVOY_ADMIN_PATHS[path as EnvoyAdminPath];
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    throw new AppError('invalid:envoy-admin', `Envoy admin path ${path} takes no ${unknown.join(', ')}`, {
      details: { allowed },
    });
  }
  const search = new URLSearchParams(query).toString();
  return { path: path as EnvoyAdminPath, search: search ? `?${search}` : '' };
}

const requestsTotal = counter({
  name: 'meshscope_envoy_admin_requests_total',
  help: 'GET requests to Envoy admin (port 15000) through pods/portforward, by path and result',
  labelNames: ['path', 'result'] as const,
});

const requestSeconds = histogram({
  name: 'meshscope_envoy_admin_request_seconds',
  help: 'Time of one Envoy admin request through pods/portforward, set-up included',
  labelNames: ['path'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

/** A counting semaphore: at most `limit` tasks run at once, the others wait in order. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** The message of an Error, or of the ErrorEvent a WebSocket rejects with. */
function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** What a failed WebSocket upgrade says: `Unexpected server response: 403`. */
function upgradeStatus(error: unknown): number | undefined {
  const status = /Unexpected server response: (\d{3})/.exec(messageOf(error))?.[1];
  return status ? Number(status) : undefined;
}

function failure(target: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const status = upgradeStatus(error);
  if (status === 401 || status === 403)
    return new AppError('forbidden:kube', `Port-forward to ${target} is not allowed (pods/portforward)`, {
      cause: error,
    });
  if (status === 404) return new AppError('not-found', `No pod ${target}`, { cause: error });
  const reason = messageOf(error);
  return new AppError('unavailable:envoy', `Envoy admin of ${target} did not answer: ${reason}`, {
    cause: error,
  });
}

const LIMITER_KEY = Symbol.for('meshscope.envoyAdminLimiter');
type WithLimiter = typeof globalThis & { [LIMITER_KEY]?: Limiter };

/** The one limit on port-forwards in flight across every caller's client. */
function processLimiter(): Limiter {
  const holder = globalThis as WithLimiter;
  holder[LIMITER_KEY] ??= new Limiter(defaults.concurrency);
  return holder[LIMITER_KEY];
}

/** Envoy admin through client-node's PortForward, on the connection's kubeconfig. */
export class PortForwardEnvoyAdmin implements EnvoyAdmin {
  private readonly options: Required<EnvoyAdminOptions>;
  private readonly limiter: Limiter;

  constructor(
    private readonly kubeConfig: KubeConfig,
    options: EnvoyAdminOptions = {},
  ) {
    this.options = {
      timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
      concurrency: Math.max(1, options.concurrency ?? defaults.concurrency),
      maxBytes: options.maxBytes ?? defaults.maxBytes,
    };
    this.limiter =
      options.concurrency === undefined ? processLimiter() : new Limiter(this.options.concurrency);
  }

  async get(request: EnvoyAdminRequest): Promise<EnvoyAdminResponse> {
    const { path, search } = checkedAdminPath(request.path, request.query);
    if (!NAME.test(request.namespace) || !NAME.test(request.pod))
      throw new AppError('invalid:envoy-admin', `Not a pod name: ${request.namespace}/${request.pod}`);
    const target = `${request.namespace}/${request.pod}:${ENVOY_ADMIN_PORT}${path}`;
    const stopTimer = requestSeconds.startTimer({ path });
    const started = performance.now();
    try {
      const answer = await this.limiter.run(() => this.forward(request, `${path}${search}`, target));
      if (answer.status < 200 || answer.status > 299) {
        throw new AppError(
          'unavailable:envoy',
          `Envoy admin of ${target} answered ${answer.status}: ${answer.body.slice(0, 200).trim()}`,
        );
      }
      requestsTotal.inc({ path, result: 'ok' });
      return { ...answer, durationMs: performance.now() - started };
    } catch (error) {
      requestsTotal.inc({ path, result: 'error' });
      throw failure(target, error);
    } finally {
      stopTimer();
    }
  }

  /**
   * One port-forward carrying one HTTP exchange: node's HTTP client writes the request into one
   * end of a stream pair and parses the answer (length, chunked or closed) from it; the other end
   * is the port-forward's input and output.
   */
  private async forward(
    request: EnvoyAdminRequest,
    pathAndQuery: string,
    target: string,
  ): Promise<Omit<EnvoyAdminResponse, 'durationMs'>> {
    const [local, remote] = duplexPair();
    const errors: Buffer[] = [];
    const errorChannel = new Writable({
      write(chunk: Buffer, _encoding, done) {
        errors.push(chunk);
        done();
      },
    });
    let socket: { close(): void } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const cleanUp = () => {
      clearTimeout(timer);
      socket?.close();
      local.destroy();
      remote.destroy();
    };
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AppError(
              'unavailable:envoy',
              `Envoy admin of ${target} timed out after ${this.options.timeoutMs} ms`,
            ),
          ),
        this.options.timeoutMs,
      );
    });
    const exchange = async () => {
      const opened = await new PortForward(this.kubeConfig, true).portForward(
        request.namespace,
        request.pod,
        [ENVOY_ADMIN_PORT],
        remote,
        errorChannel,
        remote,
      );
      const webSocket = typeof opened === 'function' ? opened() : opened;
      if (webSocket) {
        socket = webSocket;
        // The pod side closed: the HTTP client sees the end of the stream.
        webSocket.on('close', () => remote.end());
      }
      return this.httpGet(local, pathAndQuery, target, () => Buffer.concat(errors).toString('utf8').trim());
    };
    try {
      return await Promise.race([exchange(), deadline]);
    } finally {
      cleanUp();
    }
  }

  private httpGet(
    stream: ReturnType<typeof duplexPair>[0],
    pathAndQuery: string,
    target: string,
    channelError: () => string,
  ): Promise<Omit<EnvoyAdminResponse, 'durationMs'>> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          // Any duplex stream does for node's HTTP client; its type asks for a socket.
          createConnection: () => stream as unknown as Socket,
          method: 'GET',
          path: pathAndQuery,
          headers: { host: `localhost:${ENVOY_ADMIN_PORT}`, connection: 'close', accept: '*/*' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > this.options.maxBytes) {
              response.destroy(
                new AppError(
                  'unavailable:envoy',
                  `Envoy admin of ${target} answered more than ${this.options.maxBytes} bytes`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: String(response.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('error', (error) => {
        // The port-forward's error channel says why the pod side refused (no such port, …).
        const said = channelError();
        reject(
          said
            ? new AppError('unavailable:envoy', `Envoy admin of ${target}: ${said}`, { cause: error })
            : error,
        );
      });
      outgoing.end();
    });
  }
}

/** One client per cluster connection: in token and header modes each caller has their own. */
const byKubeConfig = new WeakMap<object, PortForwardEnvoyAdmin>();

/** The Envoy admin client of the request's cluster connection (the caller's, server/auth/caller.ts). */
export function getEnvoyAdmin(): EnvoyAdmin {
  const { kubeConfig } = getCluster();
  let admin = byKubeConfig.get(kubeConfig);
  if (!admin) {
    admin = new PortForwardEnvoyAdmin(kubeConfig);
    byKubeConfig.set(kubeConfig, admin);
  }
  return admin;
}
