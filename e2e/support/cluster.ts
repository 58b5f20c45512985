/**
 * The simulated cluster behind a demo, reached the way a user would: its admin kubeconfig, with
 * the real kubectl when it is on PATH and with @kubernetes/client-node otherwise.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';

const run = promisify(execFile);

export interface VirtualServiceObject {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion: string;
    annotations?: Record<string, string>;
  };
  spec: {
    hosts?: string[];
    http?: {
      name?: string;
      match?: unknown[];
      route: { destination: { host: string; subset?: string }; weight?: number }[];
    }[];
  };
}

const networking = { group: 'networking.istio.io', version: 'v1', plural: 'virtualservices' };

/** Where `npm run demo -- --port PORT` writes its kubeconfigs (bin/commands/demo.ts). */
export function demoKubeconfig(port: number, user: 'admin' | 'viewer' = 'admin'): string {
  return path.resolve('.meshscope', `demo-${port}`, `${user}.kubeconfig`);
}

export class DemoCluster {
  private readonly api: CustomObjectsApi;

  constructor(readonly kubeconfig: string) {
    const config = new KubeConfig();
    config.loadFromFile(kubeconfig);
    this.api = config.makeApiClient(CustomObjectsApi);
  }

  /** `kubectl get vs NAME -o json`, or the same read through client-node without kubectl. */
  async getVirtualService(namespace: string, name: string): Promise<VirtualServiceObject> {
    try {
      const { stdout } = await run('kubectl', [
        '--kubeconfig',
        this.kubeconfig,
        '-n',
        namespace,
        'get',
        'vs',
        name,
        '-o',
        'json',
      ]);
      return JSON.parse(stdout) as VirtualServiceObject;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return (await this.api.getNamespacedCustomObject({
        ...networking,
        namespace,
        name,
      })) as VirtualServiceObject;
    }
  }

  /** Replaces a VirtualService's spec (what a test starts from). */
  async setVirtualServiceSpec(
    namespace: string,
    name: string,
    spec: VirtualServiceObject['spec'],
  ): Promise<void> {
    const current = (await this.api.getNamespacedCustomObject({
      ...networking,
      namespace,
      name,
    })) as VirtualServiceObject;
    await this.api.replaceNamespacedCustomObject({
      ...networking,
      namespace,
      name,
      body: { ...current, spec },
    });
  }

  async createVirtualService(body: Record<string, unknown>): Promise<void> {
    const namespace = (body.metadata as { namespace: string }).namespace;
    await this.api.createNamespacedCustomObject({ ...networking, namespace, body });
  }

  async deleteVirtualService(namespace: string, name: string): Promise<void> {
    await this.api.deleteNamespacedCustomObject({ ...networking, namespace, name }).catch(() => undefined);
  }
}

/** `subset=weight` of each destination of an HTTP route, in order (weight `-` when implied). */
export function routeWeights(object: VirtualServiceObject, index: number): string[] {
  return (object.spec.http?.[index]?.route ?? []).map(
    (entry) => `${entry.destination.subset}=${entry.weight ?? '-'}`,
  );
}
