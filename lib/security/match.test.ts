import { describe, expect, it } from 'vitest';
import { ipInBlock, isIpBlock, matchesPath, matchesValue } from './match';

describe('Istio string matching', () => {
  it.each([
    ['*', 'anything', true],
    ['*', '', false],
    ['/api/*', '/api/users', true],
    ['/api/*', '/apix', false],
    ['*.png', '/img/logo.png', true],
    ['*.png', '/img/logo.jpg', false],
    ['GET', 'GET', true],
    ['GET', 'get', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(matchesValue(pattern, value)).toBe(expected);
  });

  it('ignores case when asked (hosts)', () => {
    expect(matchesValue('*.Example.com', 'api.example.COM', { ignoreCase: true })).toBe(true);
  });
});

describe('path templates', () => {
  it.each([
    ['/users/{*}/orders', '/users/42/orders', true],
    ['/users/{*}/orders', '/users/42/7/orders', false],
    ['/users/{*}/orders', '/users//orders', false],
    ['/files/{**}', '/files/a/b/c.txt', true],
    ['/files/{**}', '/files/', false],
    ['/files/{**}', '/files', false],
    ['/exact', '/exact', true],
  ])('%s against %s is %s', (pattern, path, expected) => {
    expect(matchesPath(pattern, path)).toBe(expected);
  });
});

describe('IP blocks', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', true],
    ['11.1.2.3', '10.0.0.0/8', false],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.4', '10.1.2.3', false],
    ['192.168.1.200', '192.168.1.128/25', true],
    ['1.2.3.4', '0.0.0.0/0', true],
    ['2001:db8::1', '2001:db8::/32', true],
    ['2001:db9::1', '2001:db8::/32', false],
    ['10.1.2.3', '2001:db8::/32', false],
    ['not-an-ip', '10.0.0.0/8', false],
  ])('%s in %s is %s', (ip, block, expected) => {
    expect(ipInBlock(ip, block)).toBe(expected);
  });

  it('validates addresses and blocks', () => {
    expect(isIpBlock('10.0.0.0/8')).toBe(true);
    expect(isIpBlock('::1')).toBe(true);
    expect(isIpBlock('10.0.0.0/33')).toBe(false);
    expect(isIpBlock('300.0.0.1')).toBe(false);
    expect(isIpBlock('example.com')).toBe(false);
  });
});
