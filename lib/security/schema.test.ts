import { describe, expect, it } from 'vitest';
import { parseAuthzCheckRequest, parseSecurityQuery } from './schema';

const valid = {
  source: { namespace: 'legacy' },
  destination: { namespace: 'default', workload: 'ratings-v1' },
  request: { method: 'GET', path: '/ratings/1' },
};

describe('the security query', () => {
  it('reads namespaces, all when absent', () => {
    expect(parseSecurityQuery(new URLSearchParams('namespaces=default, legacy,default'))).toEqual({
      ok: true,
      value: { namespaces: ['default', 'legacy'] },
    });
    expect(parseSecurityQuery(new URLSearchParams(''))).toEqual({ ok: true, value: { namespaces: [] } });
    expect(parseSecurityQuery(new URLSearchParams('namespaces=Bad_Name'))).toEqual({
      ok: false,
      problems: ['namespaces.0: must be a Kubernetes namespace name'],
    });
  });
});

describe('the what-if request', () => {
  it('accepts the documented shape', () => {
    const full = {
      source: {
        namespace: 'default',
        serviceAccount: 'frontend',
        principal: 'spiffe://cluster.local/ns/default/sa/frontend',
        ip: '10.0.0.1',
        workload: 'web',
        sidecar: true,
      },
      destination: { namespace: 'default', workload: 'backend-api' },
      request: {
        method: 'POST',
        path: '/api/x',
        port: 8080,
        headers: { 'x-env': 'canary' },
        host: 'api',
        protocol: 'http',
      },
    };
    expect(parseAuthzCheckRequest(full)).toEqual({ ok: true, value: full });
    expect(parseAuthzCheckRequest(valid).ok).toBe(true);
  });

  it.each([
    [
      'a missing destination',
      { ...valid, destination: undefined },
      'destination: Invalid input: expected object, received undefined',
    ],
    [
      'a lower-case method',
      { ...valid, request: { method: 'get', path: '/' } },
      'request.method: must be an HTTP method in capitals, such as GET',
    ],
    [
      'a relative path',
      { ...valid, request: { method: 'GET', path: 'x' } },
      'request.path: must start with /',
    ],
    [
      'a port out of range',
      { ...valid, request: { method: 'GET', path: '/', port: 70000 } },
      'request.port: must be a port, 1-65535',
    ],
    [
      'a CIDR as the caller IP',
      { ...valid, source: { namespace: 'a', ip: '10.0.0.0/8' } },
      'source.ip: must be an IPv4 or IPv6 address',
    ],
    [
      'a bad namespace',
      { ...valid, source: { namespace: 'A' } },
      'source.namespace: must be a Kubernetes namespace name',
    ],
    ['an unknown field', { ...valid, extra: 1 }, 'body: Unrecognized key: "extra"'],
  ])('refuses %s with a clear message', (_name, body, problem) => {
    const parsed = parseAuthzCheckRequest(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toContain(problem);
  });
});
