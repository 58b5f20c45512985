import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const entry = (name: string, extra: string) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}, namespace: default}
spec: {hosts: [db.example.com], resolution: DNS, ${extra}}
---`;

describe('serviceentry-addresses', () => {
  it('reports TCP and protocol-less ports without addresses', () => {
    const manifests = entry(
      'tcp',
      'ports: [{number: 5432, name: tcp, protocol: tcp}, {number: 5433, name: other}, {number: 443, name: https, protocol: HTTPS}]',
    );
    expect(findings(manifests, 'se.addresses')).toEqual([
      'se.addresses.required ServiceEntry default/tcp spec.ports[0] IST0134',
      'se.addresses.required ServiceEntry default/tcp spec.ports[1] IST0134',
    ]);
  });

  it('accepts declared addresses, addresses allocated in status and mesh-wide auto-allocation', () => {
    const manifests =
      entry('declared', 'addresses: [10.0.0.1], ports: [{number: 5432, name: tcp, protocol: TCP}]') +
      entry(
        'allocated',
        'ports: [{number: 5432, name: tcp, protocol: TCP}]}\nstatus: {addresses: [{host: db.example.com, value: 240.240.0.1}]',
      ).replace('}\n---', '\n---');
    expect(findings(manifests, 'se.addresses')).toEqual([]);
    const meshConfig = {
      defaultConfig: {
        proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' },
      },
    };
    expect(
      findings(entry('auto', 'ports: [{number: 5432, name: tcp, protocol: TCP}]'), 'se.addresses', {
        meshConfig,
      }),
    ).toEqual([]);
  });
});
