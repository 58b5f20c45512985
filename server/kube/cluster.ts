import 'server-only';
import {
  ApisApi,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  createConfiguration,
  KubeConfig,
  type Middleware,
  ServerConfiguration,
  VersionApi,
} from '@kubernetes/client-node';
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
export function clusterFromKubeConfig(kubeConfig: KubeConfig): Cluster {
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
    user: kubeConfig.getCurrentUser()?.name ?? '',
    kubeConfig,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    custom: new CustomObjectsApi(configuration),
    apis: new ApisApi(configuration),
    authorization: new AuthorizationV1Api(configuration),
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

function connect(): Cluster {
  const { kubeconfigPath, context } = getConfig();
  return clusterFromKubeConfig(loadKubeConfig(kubeconfigPath, context));
}

let connected: Cluster | undefined;

/** The cluster named by the configuration; the kubeconfig is loaded on first use, then kept. */
export function getCluster(): Cluster {
  connected ??= connect();
  return connected;
}
