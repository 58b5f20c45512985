import 'server-only';
import {
  CoreV1Api,
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
  core: CoreV1Api;
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

function loadKubeConfig(path: string | undefined, context: string | undefined): KubeConfig {
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

function connect(): Cluster {
  const { kubeconfigPath, context } = getConfig();
  const kubeConfig = loadKubeConfig(kubeconfigPath, context);
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
    core: new CoreV1Api(configuration),
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

let connected: Cluster | undefined;

/** The cluster named by the configuration; the kubeconfig is loaded on first use, then kept. */
export function getCluster(): Cluster {
  connected ??= connect();
  return connected;
}
