import 'server-only';
import {
  ApisApi,
  AppsV1Api,
  AuthenticationV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  createConfiguration,
  KubeConfig,
  type Middleware,
  type RequestContext,
  ServerConfiguration,
  VersionApi,
} from '@kubernetes/client-node';
import { type Caller, currentCaller, KUBECONFIG_IDENTITY } from '../auth/caller';
import { IdentityPool } from '../auth/identity-pool';
import { getAuthSettings } from '../auth/settings';
import { getConfig } from '../config';
import { AppError, fromKubeError } from '../errors';

/** Upper bound of one request to the API server, in milliseconds (not for watches). */
const REQUEST_TIMEOUT_MS = 15_000;

/** The connection to one cluster: its kubeconfig and typed API clients sharing it. */
export interface Cluster {
  /** The API server's URL, for messages. */
  server: string;
  /** The kubeconfig context in use. */
  context: string;
  /** The kubeconfig's user entry in use: its name only, never its credentials. */
  user: string;
  /** The loaded kubeconfig, for what needs more than the typed clients (watches, informers). */
  kubeConfig: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** Istio and other custom resources */
  custom: CustomObjectsApi;
  /** API group discovery (`/apis`) */
  apis: ApisApi;
  /** SelfSubjectAccessReviews: what this identity may do */
  authorization: AuthorizationV1Api;
  /** SelfSubjectReview and TokenReview: who an identity is */
  authentication: AuthenticationV1Api;
  version: VersionApi;
  /** Runs one API call and turns whatever it throws into an AppError naming this cluster. */
  call<T>(request: () => Promise<T>): Promise<T>;
}

const timeout: Middleware = {
  pre: async (context) => {
    context.setSignal(AbortSignal.timeout(REQUEST_TIMEOUT_MS));
    return context;
  },
  post: async (context) => context,
};

/** Reads a kubeconfig (unset path = client-node's default chain) and selects `context` if given. */
export function loadKubeConfig(path: string | undefined, context: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    if (path === undefined) kubeConfig.loadFromDefault();
    else kubeConfig.loadFromFile(path);
  } catch (error) {
    throw new AppError('unavailable:kube', `Cannot load the kubeconfig${path ? ` ${path}` : ''}`, {
      cause: error,
    });
  }
  if (context !== undefined) {
    if (!kubeConfig.getContextObject(context)) {
      throw new AppError('unavailable:kube', `Context "${context}" is not in the kubeconfig`);
    }
    kubeConfig.setCurrentContext(context);
  }
  return kubeConfig;
}

/** Typed clients for the kubeconfig's current context, sharing its credentials and a request timeout. */
export function clusterFromKubeConfig(kubeConfig: KubeConfig, userName?: string): Cluster {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new AppError('unavailable:kube', 'The kubeconfig has no current context with a cluster');
  }
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [timeout],
  });
  return {
    server: cluster.server,
    context: kubeConfig.getCurrentContext(),
    user: userName ?? kubeConfig.getCurrentUser()?.name ?? '',
    kubeConfig,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    custom: new CustomObjectsApi(configuration),
    apis: new ApisApi(configuration),
    authorization: new AuthorizationV1Api(configuration),
    authentication: new AuthenticationV1Api(configuration),
    version: new VersionApi(configuration),
    async call(request) {
      try {
        return await request();
      } catch (error) {
        throw fromKubeError(error, cluster.server);
      }
    },
  };
}

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;
type DispatchOptions = Parameters<Dispatcher['dispatch']>[0];

/** `headers` of an undici dispatch, with `Impersonate-Group` as one line per group. */
function withGroupLines(headers: DispatchOptions['headers'], groups: string[]): DispatchOptions['headers'] {
  const isGroup = (name: unknown) => typeof name === 'string' && name.toLowerCase() === 'impersonate-group';
  if (Array.isArray(headers)) {
    // A flat list: name, value, name, value...
    const kept: string[] = [];
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (!isGroup(headers[index])) kept.push(String(headers[index]), String(headers[index + 1]));
    }
    for (const group of groups) kept.push('impersonate-group', group);
    return kept;
  }
  const record = Object.fromEntries(
    Object.entries((headers ?? {}) as Record<string, string | string[] | undefined>).filter(
      ([name]) => !isGroup(name),
    ),
  );
  // undici sends each value of a list as its own header line.
  return { ...record, 'impersonate-group': groups };
}

/**
 * A kubeconfig that adds `Impersonate-Group` to what client-node sends (it knows only
 * `Impersonate-User`). The API server takes one group per header line (a comma inside a value is
 * part of the group's name, never a separator), so each group gets its own line. fetch would join
 * repeated names into one `a, b` line, so the groups are added below fetch, by an interceptor on
 * the undici dispatcher client-node sends through; Node's request options (WebSockets, port
 * forwarding) take a list, which Node sends as repeated lines.
 */
class ImpersonatingKubeConfig extends KubeConfig {
  constructor(private readonly groups: string[]) {
    super();
  }

  override async applyToHTTPSOptions(
    options: Parameters<KubeConfig['applyToHTTPSOptions']>[0],
  ): Promise<void> {
    await super.applyToHTTPSOptions(options);
    if (this.groups.length > 0) {
      options.headers = { ...options.headers, 'Impersonate-Group': [...this.groups] };
    }
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    if (this.groups.length === 0) return;
    const groups = [...this.groups];
    const dispatcher = context.getDispatcher();
    if (dispatcher === undefined) {
      // No TLS options and no proxy: client-node leaves fetch on its global dispatcher, which this
      // cannot reach; the groups then travel joined in one line (only plain-HTTP test clusters).
      context.setHeaderParam('Impersonate-Group', groups.join(', '));
      return;
    }
    context.setDispatcher(
      dispatcher.compose(
        (dispatch) => (options, handler) =>
          dispatch({ ...options, headers: withGroupLines(options.headers, groups) }, handler),
      ),
    );
  }
}

/**
 * The same cluster (server, CA, context name) as `base`, with a caller's credential instead of the
 * kubeconfig user's: a bearer token replaces the user entry; impersonation keeps the dashboard's
 * own credential and asks the API server to act as the user (header mode behind a proxy).
 */
export function callerKubeConfig(base: KubeConfig, credential: Caller['credential']): KubeConfig {
  const cluster = base.getCurrentCluster();
  if (!cluster)
    throw new AppError('unavailable:kube', 'The kubeconfig has no current context with a cluster');
  const context = base.getCurrentContext();
  if (credential.kind === 'kubeconfig') return base;
  const baseUser = base.getCurrentUser();
  const kubeConfig: KubeConfig =
    credential.kind === 'impersonate' ? new ImpersonatingKubeConfig(credential.groups) : new KubeConfig();
  const user =
    credential.kind === 'token'
      ? { name: 'meshscope-caller', token: credential.token() }
      : {
          ...(baseUser ?? { name: 'meshscope-dashboard' }),
          name: 'meshscope-caller',
          impersonateUser: credential.user,
        };
  kubeConfig.loadFromOptions({
    clusters: [cluster],
    users: [user],
    contexts: [{ name: context, cluster: cluster.name, user: 'meshscope-caller' }],
    currentContext: context,
  });
  return kubeConfig;
}

function connect(): Cluster {
  const { kubeconfigPath, context } = getConfig();
  return clusterFromKubeConfig(loadKubeConfig(kubeconfigPath, context));
}

let connected: Cluster | undefined;

/** The dashboard's own connection (kubeconfig or service account): local mode, and health probes. */
export function getDashboardCluster(): Cluster {
  connected ??= connect();
  return connected;
}

const CALLER_CLUSTERS_KEY = Symbol.for('meshscope.callerClusters');
type WithClusters = typeof globalThis & { [CALLER_CLUSTERS_KEY]?: IdentityPool<Cluster> };

function callerClusters(): IdentityPool<Cluster> {
  const holder = globalThis as WithClusters;
  holder[CALLER_CLUSTERS_KEY] ??= new IdentityPool<Cluster>({ idleMs: 15 * 60_000, max: 64 });
  return holder[CALLER_CLUSTERS_KEY];
}

/** The connection that acts as `caller`: the dashboard's own for a kubeconfig identity. */
export function clusterForCaller(caller: Caller): Cluster {
  if (caller.identityKey === KUBECONFIG_IDENTITY || caller.credential.kind === 'kubeconfig') {
    return getDashboardCluster();
  }
  return callerClusters().get(caller.identityKey, () =>
    clusterFromKubeConfig(callerKubeConfig(getDashboardCluster().kubeConfig, caller.credential), caller.user),
  );
}

/**
 * The cluster connection of the request in progress (DESIGN.md §3): the caller's own credentials in
 * token and header modes, the kubeconfig's in local mode. Outside a request (unit tests, start-up)
 * local mode uses the kubeconfig; token and header modes refuse rather than fall back to the
 * dashboard's own account, which only `runAsDashboard` (health probes) may use.
 */
export function getCluster(): Cluster {
  const caller = currentCaller();
  if (caller === 'dashboard') return getDashboardCluster();
  if (caller !== undefined) return clusterForCaller(caller);
  if (getAuthSettings().mode === 'local') return getDashboardCluster();
  throw new AppError('unauthorized', 'Sign in to use the cluster: no caller for this request.');
}
