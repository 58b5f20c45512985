import { describe, expect, it } from 'vitest';
import { findings } from '../test-support';

const vs = (name: string, body: string) => `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: default}
spec:
  hosts: [reviews]
${body}
---`;

const to = (host: string, extra = '') => `route: [{destination: {host: ${host}}${extra}}]`;

describe('vs-routing: rules that never match', () => {
  it('accepts distinct matches ordered from specific to general', () => {
    const manifests = vs(
      'ok',
      `  http:
  - {match: [{uri: {prefix: /api/v2}}], ${to('v2')}}
  - {match: [{uri: {prefix: /api}, headers: {end-user: {exact: jason}}}], ${to('jason')}}
  - {match: [{uri: {prefix: /api}}], ${to('v1')}}
  - {${to('default')}}`,
    );
    expect(findings(manifests, 'vs.route')).toEqual([]);
  });

  it('reports duplicate matches and fully duplicated rules as istioctl does', () => {
    const manifests = vs(
      'dup',
      `  http:
  - {name: first, match: [{name: products, uri: {prefix: /api/v1/products}}], ${to('a')}}
  - {name: second, match: [{uri: {prefix: /api/v1/products}}], ${to('b')}}`,
    );
    expect(findings(manifests, 'vs.route')).toEqual([
      'vs.route.match-shadowed VirtualService default/dup spec.http[1].match[0] IST0131',
      'vs.route.unreachable VirtualService default/dup spec.http[1] IST0130',
    ]);
  });

  it('reports a second rule without match (IST0130), and rules after a catch-all (ours only)', () => {
    const manifests =
      vs('two-catch-all', `  http:\n  - {${to('a')}}\n  - {${to('b')}}`) +
      vs('after-catch-all', `  http:\n  - {${to('a')}}\n  - {match: [{uri: {exact: /x}}], ${to('b')}}`);
    expect(findings(manifests, 'vs.route')).toEqual([
      'vs.route.unreachable VirtualService default/after-catch-all spec.http[1]',
      'vs.route.unreachable VirtualService default/two-catch-all spec.http[1] IST0130',
    ]);
  });

  it('reports a prefix covered by an earlier one (IST0131) and a rule all of whose matches are covered', () => {
    const manifests = vs(
      'overlap',
      `  http:
  - {match: [{uri: {prefix: /api/v1/prod}, method: {exact: GET}}], ${to('a')}}
  - {match: [{uri: {prefix: /api/v1/products}, method: {exact: GET}}], ${to('b')}}`,
    );
    expect(findings(manifests, 'vs.route')).toEqual([
      'vs.route.match-shadowed VirtualService default/overlap spec.http[1].match[0] IST0131',
      'vs.route.unreachable VirtualService default/overlap spec.http[1]',
    ]);
  });

  it('reports shadowing istioctl misses without an Istio code (exact under prefix, fewer headers)', () => {
    const manifests = vs(
      'broad-first',
      `  http:
  - {match: [{uri: {prefix: /}}], ${to('a')}}
  - {match: [{uri: {exact: /login}, headers: {x-user: {exact: admin}}}], ${to('b')}}`,
    );
    expect(findings(manifests, 'vs.route')).toEqual([
      'vs.route.match-shadowed VirtualService default/broad-first spec.http[1].match[0]',
      'vs.route.unreachable VirtualService default/broad-first spec.http[1]',
    ]);
  });

  it('does not take a different method or a narrower earlier match for coverage', () => {
    const manifests = vs(
      'methods',
      `  http:
  - {match: [{uri: {prefix: /api}, method: {exact: GET}}], ${to('a')}}
  - {match: [{uri: {prefix: /api/v2}, method: {exact: POST}}, {uri: {prefix: /api/v2}}], ${to('b')}}`,
    );
    expect(findings(manifests, 'vs.route')).toEqual([]);
  });

  it('finds duplicate TCP and TLS matches', () => {
    const manifests =
      vs(
        'tcp',
        `  tcp:\n  - {match: [{port: 31400}], ${to('a')}}\n  - {match: [{port: 31400}], ${to('b')}}`,
      ) +
      vs(
        'tls',
        `  tls:\n  - {match: [{port: 443, sniHosts: [a.com]}], ${to('a')}}\n  - {match: [{port: 443, sniHosts: [a.com]}, {port: 8443, sniHosts: [a.com]}], ${to('b')}}`,
      );
    expect(findings(manifests, 'vs.route')).toEqual([
      'vs.route.match-shadowed VirtualService default/tcp spec.tcp[1].match[0] IST0131',
      'vs.route.match-shadowed VirtualService default/tls spec.tls[1].match[0] IST0131',
      'vs.route.unreachable VirtualService default/tcp spec.tcp[1] IST0130',
    ]);
  });
});

describe('vs-routing: weights', () => {
  it('accepts weights adding up to 100 and a single destination without weight', () => {
    const manifests =
      vs(
        'split',
        `  http:\n  - route: [{destination: {host: a}, weight: 80}, {destination: {host: b}, weight: 20}]`,
      ) + vs('single', `  http:\n  - route: [{destination: {host: a}, weight: 100}]`);
    expect(findings(manifests, 'vs.route')).toEqual([]);
  });

  it('reports weights not adding up to 100, all zero, a single weighted destination and repeated destinations', () => {
    const manifests =
      vs(
        'sum',
        `  http:\n  - route: [{destination: {host: a}, weight: 50}, {destination: {host: b}, weight: 30}]`,
      ) +
      vs('zero', `  tcp:\n  - route: [{destination: {host: a}}, {destination: {host: b}}]`) +
      vs('single', `  http:\n  - route: [{destination: {host: a}, weight: 40}]`) +
      vs(
        'twice',
        `  http:\n  - route: [{destination: {host: a, subset: v1}, weight: 50}, {destination: {host: a.default.svc.cluster.local, subset: v1}, weight: 50}]`,
      );
    expect(findings(manifests, 'vs.route')).toEqual([
      'vs.route.duplicate-destination VirtualService default/twice spec.http[0].route[1].destination KIA1105',
      'vs.route.single-weight VirtualService default/single spec.http[0].route[0].weight KIA1104',
      'vs.route.weights-all-zero VirtualService default/zero spec.tcp[0].route',
      'vs.route.weights-not-100 VirtualService default/sum spec.http[0].route',
    ]);
  });
});
