import { describe, expect, it } from 'vitest';
import { findings, service } from '../test-support';

describe('service-ports', () => {
  it('accepts protocol prefixes, appProtocol, UDP, well-known ports and control-plane Services', () => {
    const manifests =
      service(
        'named',
        'default',
        { app: 'a' },
        '[{name: http-web, port: 80}, {name: grpc-web-x, port: 81}, {name: tcp, port: 82}]',
      ) +
      service(
        'app-protocol',
        'default',
        { app: 'a' },
        '[{name: web, port: 80, appProtocol: http}, {name: h2c, port: 81, appProtocol: kubernetes.io/h2c}]',
      ) +
      service('other', 'default', { app: 'a' }, '[{port: 53, protocol: UDP}, {port: 3306}]') +
      service('kube-dns', 'kube-system', { app: 'dns' }, '[{port: 9153}]') +
      `
apiVersion: v1
kind: Service
metadata: {name: istiod, namespace: istio-system, labels: {istio: pilot}}
spec: {ports: [{port: 15010}]}
---`;
    expect(findings(manifests, 'service.')).toEqual([]);
  });

  it('reports unnamed ports, names without protocol, unknown appProtocol and ExternalName tcp ports', () => {
    const manifests =
      service(
        'web',
        'default',
        { app: 'a' },
        '[{port: 8080}, {name: foo, port: 8081}, {name: web, port: 8082, appProtocol: magic}]',
      ) +
      `
apiVersion: v1
kind: Service
metadata: {name: nginx, namespace: default}
spec: {type: ExternalName, externalName: nginx.example.com, ports: [{name: tcp, port: 443}]}
---`;
    expect(findings(manifests, 'service.')).toEqual([
      'service.port.external-name-invalid Service default/nginx spec.ports[0] IST0150',
      'service.port.protocol-unknown Service default/web spec.ports[0].name IST0118 KIA0601',
      'service.port.protocol-unknown Service default/web spec.ports[1].name IST0118 KIA0601',
      'service.port.protocol-unknown Service default/web spec.ports[2].appProtocol IST0118 KIA0602',
    ]);
  });
});
