import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const entry = (name: string, namespace: string, port: string, extra = '') => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ${name}, namespace: ${namespace}}
spec: {hosts: [example.com], ports: [${port}], resolution: DNS${extra}}
---`;

describe('serviceentry-conflicts', () => {
  it('reports the same host and port with different protocols on both entries', () => {
    const manifests =
      entry('se-http', 'default', '{number: 8080, name: http, protocol: HTTP}') +
      entry('se-https', 'default', '{number: 8080, name: https, protocol: https}');
    expect(findings(manifests, 'se.')).toEqual([
      'se.port.protocol-conflict ServiceEntry default/se-http spec.ports IST0177 KIA1212',
      'se.port.protocol-conflict ServiceEntry default/se-https spec.ports IST0177 KIA1212',
    ]);
  });

  it('reports duplicate definitions with the same protocol', () => {
    const manifests =
      entry('a', 'default', '{number: 443, name: tls, protocol: TLS}') +
      entry('b', 'other', '{number: 443, name: tls, protocol: TLS}');
    expect(findings(manifests, 'se.')).toEqual([
      'se.host.duplicate ServiceEntry default/a spec.hosts KIA1211',
      'se.host.duplicate ServiceEntry other/b spec.hosts KIA1211',
    ]);
  });

  it('accepts entries exported to different namespaces, and other ports', () => {
    const manifests =
      entry('a', 'ns1', '{number: 8080, name: http, protocol: HTTP}', ', exportTo: ["."]') +
      entry('b', 'ns2', '{number: 8080, name: https, protocol: HTTPS}', ', exportTo: ["."]') +
      entry('c', 'ns3', '{number: 9090, name: https, protocol: HTTPS}');
    expect(findings(manifests, 'se.')).toEqual([]);
  });
});
