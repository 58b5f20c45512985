import { describe, expect, it } from 'vitest';
import { findings, namespace, pod, service } from '../test-support';

const world = `${namespace('httpbin')}${namespace('prod-shop')}${namespace('sleep')}${service('httpbin', 'httpbin', { app: 'httpbin' })}${pod('httpbin-1', 'httpbin', { app: 'httpbin' })}
apiVersion: v1
kind: ServiceAccount
metadata: {name: sleep, namespace: sleep}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: httpbin}
spec: {selector: {app: httpbin}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com]}]}
---`;

const policy = (rules: string) => `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: policy, namespace: httpbin}
spec: {selector: {matchLabels: {app: httpbin}}, rules: ${rules}}
---`;

describe('authz-rules', () => {
  it('accepts existing namespaces (also by prefix or suffix), service accounts, methods and hosts', () => {
    const rules = `[{from: [{source: {namespaces: [httpbin, "prod-*", "*-shop"], principals: [cluster.local/ns/sleep/sa/sleep, cluster.local/ns/httpbin/sa/default, "*/sa/sleep", other.domain/ns/x/sa/y]}}],
      to: [{operation: {methods: [GET, post, "PU*", "*"], hosts: [httpbin, "httpbin.httpbin.svc.cluster.local:8000", shop.example.com, "*.example.com"]}}]}]`;
    expect(findings(world + policy(rules), 'authz.')).toEqual([]);
  });

  it('reports unknown namespaces, principals, methods and hosts', () => {
    const rules = `[{from: [{source: {namespaces: ["*-bogus"], notNamespaces: [bogus], principals: [cluster.local/ns/sleep/sa/ghost, "*/sa/ghost"]}}],
      to: [{operation: {methods: [GETT, "/pkg.Service/Method"], notHosts: [unknown.example.org]}}]}]`;
    expect(findings(world + policy(rules), 'authz.')).toEqual([
      'authz.operation.host-not-found AuthorizationPolicy httpbin/policy spec.rules[0].to[0].operation.notHosts[0] KIA0104',
      'authz.operation.method-invalid AuthorizationPolicy httpbin/policy spec.rules[0].to[0].operation.methods[0] KIA0102',
      'authz.operation.method-invalid AuthorizationPolicy httpbin/policy spec.rules[0].to[0].operation.methods[1] KIA0102',
      'authz.source.namespace-not-found AuthorizationPolicy httpbin/policy spec.rules[0].from[0].source.namespaces[0] IST0101 KIA0101',
      'authz.source.namespace-not-found AuthorizationPolicy httpbin/policy spec.rules[0].from[0].source.notNamespaces[0] IST0101 KIA0101',
      'authz.source.principal-not-found AuthorizationPolicy httpbin/policy spec.rules[0].from[0].source.principals[0] KIA0106',
      'authz.source.principal-not-found AuthorizationPolicy httpbin/policy spec.rules[0].from[0].source.principals[1] KIA0106',
    ]);
  });
});
