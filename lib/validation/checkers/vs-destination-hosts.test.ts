import { describe, expect, it } from 'vitest';
import { findings, service } from '../test-support';

const base = `${service('reviews', 'default', { app: 'reviews' })}${service('ratings', 'default', { app: 'ratings' }, '[{name: http, port: 80}, {name: grpc, port: 81}]')}
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: external, namespace: default}
spec: {hosts: [api.example.com, "*.eu.example.com"], ports: [{number: 443, name: https, protocol: HTTPS}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: private, namespace: other}
spec: {hosts: [private.example.com], exportTo: ["."], ports: [{number: 443, name: https, protocol: HTTPS}]}
---
`;

const vs = (name: string, http: string, extra = '') => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: default}
spec: {hosts: [${name}]${extra}, http: ${http}}
---`;

describe('vs-destination-hosts', () => {
  it('accepts short names, FQDNs, ServiceEntry hosts and wildcard ServiceEntry hosts', () => {
    const manifests =
      base +
      vs('a', '[{route: [{destination: {host: reviews}}]}]') +
      vs('b', '[{route: [{destination: {host: reviews.default.svc.cluster.local, port: {number: 9080}}}]}]') +
      vs('c', '[{route: [{destination: {host: api.example.com}}]}]') +
      vs('d', '[{route: [{destination: {host: de.eu.example.com}}]}]') +
      vs('e', '[{route: [{destination: {host: ratings, port: {number: 81}}}]}]');
    expect(findings(manifests, 'vs.')).toEqual([]);
  });

  it('reports unknown hosts, unknown mirrors and hosts not exported here', () => {
    const manifests =
      base +
      vs('a', '[{route: [{destination: {host: reviews-bogus}}]}]') +
      vs('b', '[{route: [{destination: {host: reviews}}], mirror: {host: nowhere}}]') +
      vs('c', '[{route: [{destination: {host: private.example.com}}]}]');
    expect(findings(manifests, 'vs.')).toEqual([
      'vs.destination.host-not-found VirtualService default/a spec.http[0].route[0].destination.host IST0101 KIA1101',
      'vs.destination.host-not-found VirtualService default/c spec.http[0].route[0].destination.host IST0101 KIA1101',
      'vs.mirror.host-not-found VirtualService default/b spec.http[0].mirror.host IST0101 KIA1101',
    ]);
  });

  it('reports a port the host lacks, and a missing port on a host with several', () => {
    const manifests =
      base +
      vs('a', '[{route: [{destination: {host: reviews, port: {number: 999}}}]}]') +
      vs('b', '[{route: [{destination: {host: ratings}}]}]');
    expect(findings(manifests, 'vs.')).toEqual([
      'vs.destination.port-not-found VirtualService default/a spec.http[0].route[0].destination.port.number IST0101',
      'vs.destination.port-required VirtualService default/b spec.http[0].route[0].destination IST0112',
    ]);
  });

  it('honours the exportTo annotation of Services', () => {
    const manifests = `
apiVersion: v1
kind: Service
metadata: {name: details, namespace: default, annotations: {networking.istio.io/exportTo: "."}}
spec: {selector: {app: details}, ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: cross, namespace: istio-system}
spec: {hosts: [details], http: [{route: [{destination: {host: details.default.svc.cluster.local}}]}]}
`;
    expect(findings(manifests, 'vs.destination')).toEqual([
      'vs.destination.host-not-found VirtualService istio-system/cross spec.http[0].route[0].destination.host IST0101 KIA1101',
    ]);
  });
});
