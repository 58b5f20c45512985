import { describe, expect, it } from 'vitest';
import { fromManifests } from '../validation/from-manifests';
import { MeshIndex } from '../validation/mesh-index';
import { referencesOf, referrersOf } from './references';

const manifests = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'reviews', namespace: 'default' },
    spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'reviews-v1-abc', namespace: 'default', labels: { app: 'reviews', version: 'v1' } },
    spec: { containers: [{ name: 'reviews' }, { name: 'istio-proxy' }] },
    status: { phase: 'Running' },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'ingress-abc', namespace: 'istio-system', labels: { istio: 'ingressgateway' } },
    spec: { containers: [{ name: 'istio-proxy' }] },
    status: { phase: 'Running' },
  },
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'reviews', namespace: 'default' },
    spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
  },
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'books', namespace: 'default' },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          hosts: ['*'],
          tls: { mode: 'SIMPLE', credentialName: 'books-cert' },
        },
      ],
    },
  },
  {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'default' },
    spec: {
      hosts: ['reviews'],
      gateways: ['books', 'mesh'],
      http: [
        {
          route: [
            { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
            { destination: { host: 'reviews', subset: 'v9' }, weight: 50 },
          ],
        },
      ],
    },
  },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: 'reviews', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'reviews' } } },
  },
];

function setup() {
  const snapshot = fromManifests(manifests);
  snapshot.secrets = [];
  const index = new MeshIndex(snapshot);
  const get = (
    kind: 'VirtualService' | 'DestinationRule' | 'Gateway' | 'AuthorizationPolicy',
    name: string,
  ) => {
    const object = index.get(kind, 'default', name);
    if (!object) throw new Error(`${kind} ${name} missing`);
    return object;
  };
  return { index, get };
}

describe('referencesOf', () => {
  it('resolves a VirtualService’s hosts, subsets and gateways', () => {
    const { index, get } = setup();
    const references = referencesOf(index, get('VirtualService', 'reviews'));
    const brief = references.map((r) => [r.kind, `${r.namespace}/${r.name}`, r.via, r.path, r.resolved]);
    expect(brief).toEqual([
      ['Service', 'default/reviews', 'host', 'spec.hosts[0]', true],
      ['Service', 'default/reviews', 'host', 'spec.http[0].route[0].destination.host', true],
      ['DestinationRule', 'default/reviews', 'subset', 'spec.http[0].route[0].destination.subset', true],
      ['Service', 'default/reviews', 'host', 'spec.http[0].route[1].destination.host', true],
      ['DestinationRule', 'default/reviews', 'subset', 'spec.http[0].route[1].destination.subset', false],
      ['Gateway', 'default/books', 'gateway', 'spec.gateways[0]', true],
    ]);
  });

  it('finds the workloads a selector picks and a missing TLS credential', () => {
    const { index, get } = setup();
    expect(referencesOf(index, get('AuthorizationPolicy', 'reviews'))).toEqual([
      expect.objectContaining({
        kind: 'Workload',
        namespace: 'default',
        via: 'selector',
        value: 'app=reviews',
        resolved: true,
      }),
    ]);
    const gateway = referencesOf(index, get('Gateway', 'books'));
    expect(gateway.map((r) => [r.kind, r.namespace, r.resolved])).toEqual([
      ['Workload', 'istio-system', true],
      ['Secret', 'istio-system', false],
    ]);
  });
});

describe('referrersOf', () => {
  it('lists the VirtualServices routing through a DestinationRule and bound to a Gateway', () => {
    const { index, get } = setup();
    expect(
      referrersOf(index, get('DestinationRule', 'reviews')).map((r) => [r.kind, r.name, r.path]),
    ).toEqual([['VirtualService', 'reviews', 'spec.http[0].route[0].destination.subset']]);
    expect(referrersOf(index, get('Gateway', 'books')).map((r) => [r.kind, r.name, r.via])).toEqual([
      ['VirtualService', 'reviews', 'gateway'],
    ]);
  });
});
