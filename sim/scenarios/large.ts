/**
 * A large mesh for scale: N services across M namespaces in a call tree (fan-out 1–3, depth about
 * log N), one Deployment each, 10 % with a v2 canary behind a DestinationRule and a 90/10
 * VirtualService, a few without sidecars, and load generators calling the roots.
 */
import type { KubeObject } from '../cluster/types';
import { annotationPrefix, callsAnnotation, generateAnnotation } from '../mesh/behaviour';
import { SeededRandom } from '../random';
import { proxyStatsAnnotation } from './bookinfo';
import { deployment, istioObject, namespace, service, serviceAccount } from './builders';
import { istioSystem } from './istio-system';

const words = [
  'cart',
  'checkout',
  'payment',
  'catalog',
  'search',
  'user',
  'auth',
  'inventory',
  'shipping',
  'email',
  'recommend',
  'ads',
  'currency',
  'review',
  'rating',
  'profile',
  'order',
  'billing',
  'notify',
  'session',
];

export interface LargeOptions {
  services: number;
  namespaces: number;
  seed: number;
  /** requests per second into each root of the call tree */
  rootRps?: number;
}

interface Node {
  index: number;
  name: string;
  namespace: string;
  children: number[];
  canary: boolean;
  sidecar: boolean;
}

function plan(options: LargeOptions): Node[] {
  const random = new SeededRandom(options.seed);
  const count = Math.max(1, options.services);
  const namespaces = Math.max(1, options.namespaces);
  const nodes: Node[] = [];
  for (let index = 0; index < count; index += 1) {
    nodes.push({
      index,
      name: `${words[index % words.length]}-${String(index).padStart(4, '0')}`,
      namespace: `mesh-${String(index % namespaces).padStart(2, '0')}`,
      children: [],
      canary: random.next() < 0.1,
      sidecar: random.next() >= 0.02,
    });
  }
  // Breadth-first tree: each service calls the next 1–3 not yet called, so depth grows as log N.
  let next = Math.max(1, Math.ceil(count / 200));
  for (const node of nodes) {
    const fanOut = 1 + Math.floor(random.next() * 3);
    for (let child = 0; child < fanOut && next < count; child += 1) node.children.push(next++);
  }
  return nodes;
}

export function largeObjects(options: LargeOptions): KubeObject[] {
  const nodes = plan(options);
  const roots = nodes.filter((node) => !nodes.some((parent) => parent.children.includes(node.index)));
  const objects: KubeObject[] = [...istioSystem()];
  for (const name of new Set(nodes.map((node) => node.namespace)))
    objects.push(namespace(name, { 'istio-injection': 'enabled' }));
  for (const node of nodes) {
    const calls = node.children.map((child) => {
      const target = nodes[child] as Node;
      return {
        host: target.namespace === node.namespace ? target.name : `${target.name}.${target.namespace}`,
        port: 8080,
        path: '/',
      };
    });
    const annotations = {
      ...callsAnnotation(calls),
      [`${annotationPrefix}latency-ms`]: String(2 + (node.index % 7)),
      ...(node.index % 10 === 0 ? proxyStatsAnnotation : {}),
    };
    const labels = node.sidecar ? undefined : { 'sidecar.istio.io/inject': 'false' };
    objects.push(
      service(node.namespace, node.name, [{ name: 'http', port: 8080 }]),
      serviceAccount(node.namespace, node.name),
    );
    const versions = node.canary ? ['v1', 'v2'] : ['v1'];
    for (const version of versions) {
      objects.push(
        deployment({
          namespace: node.namespace,
          app: node.name,
          version,
          serviceAccount: node.name,
          image: `registry.example.com/${node.name}:${version}`,
          ports: [8080],
          annotations,
          ...(labels ? { labels } : {}),
        }),
      );
    }
    if (node.canary) {
      objects.push(
        istioObject('networking.istio.io/v1', 'DestinationRule', node.namespace, node.name, {
          host: node.name,
          subsets: versions.map((version) => ({ name: version, labels: { version } })),
        }),
        istioObject('networking.istio.io/v1', 'VirtualService', node.namespace, node.name, {
          hosts: [node.name],
          http: [
            {
              route: [
                { destination: { host: node.name, subset: 'v1' }, weight: 90 },
                { destination: { host: node.name, subset: 'v2' }, weight: 10 },
              ],
            },
          ],
        }),
      );
    }
  }
  const loadNamespace = nodes[0]?.namespace ?? 'mesh-00';
  objects.push(
    serviceAccount(loadNamespace, 'loadgen'),
    deployment({
      namespace: loadNamespace,
      app: 'loadgen',
      serviceAccount: 'loadgen',
      image: 'docker.io/fortio/fortio:1.69.0',
      ports: [8079],
      annotations: generateAnnotation(
        roots.map((root) => ({
          host: `${root.name}.${root.namespace}`,
          port: 8080,
          path: '/',
          rps: options.rootRps ?? 1,
        })),
      ),
    }),
  );
  return objects;
}
