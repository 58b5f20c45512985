import { describe, expect, it } from 'vitest';
import { fromManifests, meshSettings } from './from-manifests';

describe('fromManifests', () => {
  const snapshot = fromManifests(
    [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } },
      },
      {
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: {
              name: 'web',
              namespace: 'shop',
              annotations: { 'networking.istio.io/exportTo': '.' },
            },
            spec: {
              selector: { app: 'web' },
              ports: [
                { name: 'http', port: 80, targetPort: 8080, appProtocol: 'http' },
                { port: 81, targetPort: 'metrics' },
              ],
            },
          },
        ],
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web', version: 1 } },
        spec: {
          serviceAccountName: 'web',
          nodeName: 'node-a',
          containers: [{ name: 'web', image: 'web' }],
          initContainers: [{ name: 'istio-proxy', image: 'proxyv2' }],
        },
        status: { phase: 'Running', podIP: '10.0.0.5' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'cert', namespace: 'istio-system' },
        data: { 'tls.key': 'c2VjcmV0' },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'gw', namespace: 'shop' },
        spec: { listeners: [{ name: 'a', hostname: 'a.example.com' }, { name: 'any' }] },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: 'public', namespace: 'shop' },
        spec: { selector: { istio: 'ingressgateway' } },
        status: { validationMessages: [] },
      },
      { apiVersion: 'config.istio.io/v1alpha2', kind: 'QuotaSpec', metadata: { name: 'ignored' } },
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'z1' } },
      },
      null,
    ],
    {
      meshConfig: {
        rootNamespace: 'mesh-root',
        enableAutoMtls: false,
        outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
      },
    },
  );

  it('reads Services with their annotations, appProtocol and numeric target ports', () => {
    expect(snapshot.services).toEqual([
      {
        namespace: 'shop',
        name: 'web',
        fqdn: 'web.shop.svc.cluster.local',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', appProtocol: 'http' },
          { name: '', port: 81, targetPort: 81, protocol: 'TCP' },
        ],
        labels: {},
        annotations: { 'networking.istio.io/exportTo': '.' },
        type: 'ClusterIP',
      },
    ]);
  });

  it('reads pods, counting a native sidecar, and stringifies label values', () => {
    expect(snapshot.pods[0]).toMatchObject({
      name: 'web-1',
      labels: { app: 'web', version: '1' },
      sidecar: true,
      nodeName: 'node-a',
      serviceAccount: 'web',
    });
  });

  it('keeps Secrets by name only, tells Gateway API Gateways from Istio ones, and ignores other kinds', () => {
    expect(snapshot.secrets).toEqual([{ namespace: 'istio-system', name: 'cert' }]);
    expect(JSON.stringify(snapshot)).not.toContain('c2VjcmV0');
    expect(snapshot.kubernetesGateways).toEqual([
      { namespace: 'shop', name: 'gw', hostnames: ['a.example.com', '*'] },
    ]);
    expect(snapshot.istio.map((object) => `${object.kind} ${object.name}`)).toEqual(['Gateway public']);
    expect(snapshot.istio[0]?.status).toEqual({ validationMessages: [] });
    expect(snapshot.nodes).toEqual([{ name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'z1' } }]);
  });

  it('reads the mesh config', () => {
    expect(snapshot.rootNamespace).toBe('mesh-root');
    expect(snapshot.mesh).toEqual({ enableAutoMtls: false, outboundTrafficPolicyMode: 'REGISTRY_ONLY' });
    expect(
      meshSettings({
        defaultConfig: {
          proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', PILOT_ENABLE_IP_AUTOALLOCATE: 'true' },
        },
      }),
    ).toEqual({
      serviceEntryAddressAutoAllocation: true,
    });
  });
});
