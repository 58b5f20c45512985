import { describe, expect, it } from 'vitest';
import type { IstioObject, PodInfo } from '../types/mesh-config';
import type { RequestSample } from '../types/telemetry';
import {
  boundVirtualServices,
  externalTraffic,
  gatewayServers,
  gatewayWorkloads,
  isUnregistered,
  serviceEntryEndpoints,
  toServiceEntry,
} from './gateways';

const object = (
  kind: IstioObject['kind'],
  namespace: string,
  name: string,
  spec: Record<string, unknown>,
): IstioObject => ({
  kind,
  namespace,
  name,
  apiVersion: 'networking.istio.io/v1',
  resourceVersion: '1',
  labels: {},
  annotations: {},
  spec,
});

const pod = (namespace: string, name: string, workload: string, labels: Record<string, string>): PodInfo => ({
  namespace,
  name,
  labels,
  annotations: {},
  serviceAccount: 'default',
  phase: 'Running',
  podIP: '10.0.0.9',
  containers: ['istio-proxy'],
  sidecar: true,
  workload,
});

const sample = (
  host: string,
  code: string,
  rate: number,
  reporter: 'source' | 'destination' = 'source',
): RequestSample => ({
  reporter,
  source: {
    namespace: 'default',
    workload: 'productpage-v1',
    app: 'productpage',
    version: 'v1',
    principal: 'unknown',
  },
  destination: {
    namespace: 'unknown',
    workload: 'unknown',
    app: 'unknown',
    version: 'unknown',
    principal: 'unknown',
  },
  service: { fqdn: host, name: host, namespace: 'unknown' },
  protocol: 'http',
  responseCode: code,
  grpcStatus: '',
  responseFlags: '-',
  securityPolicy: 'unknown',
  rate,
});

describe('gateways', () => {
  const gateway = object('Gateway', 'default', 'bookinfo-gateway', {
    selector: { istio: 'ingressgateway' },
    servers: [
      {
        port: { number: 80, name: 'http', protocol: 'http' },
        hosts: ['bookinfo.example'],
        tls: { httpsRedirect: true },
      },
      {
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: ['bookinfo.example'],
        tls: { mode: 'SIMPLE', credentialName: 'bookinfo-cert' },
      },
    ],
  });

  it('reads servers with TLS mode and credential', () => {
    expect(gatewayServers(gateway.spec)).toEqual([
      { port: 80, portName: 'http', protocol: 'HTTP', hosts: ['bookinfo.example'], httpsRedirect: true },
      {
        port: 443,
        portName: 'https',
        protocol: 'HTTPS',
        hosts: ['bookinfo.example'],
        tlsMode: 'SIMPLE',
        credentialName: 'bookinfo-cert',
      },
    ]);
  });

  it('groups the selected pods of every namespace by workload', () => {
    const pods = [
      pod('istio-system', 'ingress-a', 'istio-ingressgateway', { istio: 'ingressgateway' }),
      pod('istio-system', 'ingress-b', 'istio-ingressgateway', { istio: 'ingressgateway' }),
      pod('istio-system', 'egress-a', 'istio-egressgateway', { istio: 'egressgateway' }),
    ];
    const workloads = gatewayWorkloads(gateway, pods, (item) => item.name !== 'ingress-b');
    expect(workloads).toEqual([
      {
        namespace: 'istio-system',
        name: 'istio-ingressgateway',
        pods: [
          { name: 'ingress-a', ready: true, ip: '10.0.0.9' },
          { name: 'ingress-b', ready: false, ip: '10.0.0.9' },
        ],
      },
    ]);
    expect(gatewayWorkloads(object('Gateway', 'default', 'none', {}), pods, () => true)).toEqual([]);
  });

  it('lists the VirtualServices bound to it by short or qualified name', () => {
    const list = [
      object('VirtualService', 'default', 'bookinfo', {
        hosts: ['*'],
        gateways: ['bookinfo-gateway'],
        http: [{ route: [{ destination: { host: 'productpage' } }] }],
      }),
      object('VirtualService', 'shop', 'shop', {
        hosts: ['shop.example'],
        gateways: ['default/bookinfo-gateway'],
      }),
      object('VirtualService', 'shop', 'other', { hosts: ['x'], gateways: ['bookinfo-gateway'] }),
    ];
    expect(boundVirtualServices(gateway, list)).toEqual([
      {
        namespace: 'default',
        name: 'bookinfo',
        hosts: ['*'],
        destinations: ['productpage.default.svc.cluster.local'],
      },
      { namespace: 'shop', name: 'shop', hosts: ['shop.example'], destinations: [] },
    ]);
  });
});

describe('service entries and external traffic', () => {
  it('sums source-reported requests per caller and host, with the error share', () => {
    const entry = object('ServiceEntry', 'default', 'httpbin', { hosts: ['*.httpbin.org'] });
    const samples = [
      sample('api.httpbin.org', '200', 3),
      sample('api.httpbin.org', '503', 1),
      sample('api.httpbin.org', '200', 5, 'destination'),
      sample('example.com', '200', 2),
    ];
    expect(externalTraffic(samples, toServiceEntry(entry))).toEqual([
      {
        source: { namespace: 'default', workload: 'productpage-v1' },
        host: 'api.httpbin.org',
        requestRate: 4,
        errorRate: 0.25,
      },
    ]);
  });

  it('names unregistered traffic by host and cluster, as Istio labels it', () => {
    // destination_service_name is the cluster; destination_service the HTTP host, `unknown` for TCP
    const unregistered = (fqdn: string, name: string, code: string, rate: number): RequestSample => ({
      ...sample(fqdn, code, rate),
      service: { fqdn, name, namespace: 'unknown' },
    });
    const samples = [
      unregistered('httpbin.org', 'PassthroughCluster', '200', 1),
      unregistered('httpbin.org', 'BlackHoleCluster', '502', 0.5),
      unregistered('unknown', 'PassthroughCluster', '200', 0.25),
    ];
    expect(externalTraffic(samples, isUnregistered)).toEqual([
      {
        source: { namespace: 'default', workload: 'productpage-v1' },
        host: 'httpbin.org',
        cluster: 'PassthroughCluster',
        requestRate: 1,
        errorRate: 0,
      },
      {
        source: { namespace: 'default', workload: 'productpage-v1' },
        host: 'httpbin.org',
        cluster: 'BlackHoleCluster',
        requestRate: 0.5,
        errorRate: 1,
      },
      {
        source: { namespace: 'default', workload: 'productpage-v1' },
        host: 'PassthroughCluster',
        cluster: 'PassthroughCluster',
        requestRate: 0.25,
        errorRate: 0,
      },
    ]);
    // A wildcard ServiceEntry does not claim what went around the registry.
    const everything = object('ServiceEntry', 'default', 'all', { hosts: ['*.org'] });
    expect(externalTraffic(samples, toServiceEntry(everything))).toEqual([]);
  });

  it('tells PassthroughCluster and BlackHoleCluster traffic apart from registered hosts', () => {
    expect(isUnregistered(sample('PassthroughCluster', '200', 1))).toBe(true);
    expect(isUnregistered(sample('BlackHoleCluster', '502', 1))).toBe(true);
    expect(isUnregistered(sample('api.httpbin.org', '200', 1))).toBe(false);
  });

  it('writes endpoints with their ports', () => {
    expect(
      serviceEntryEndpoints({
        endpoints: [{ address: '10.1.1.1', ports: { http: 8080 } }, { address: 'vm.local' }],
      }),
    ).toEqual(['10.1.1.1:8080', 'vm.local']);
  });
});
