/**
 * Cookie names carry the port the browser computes (lib/api-fetch.ts: `location.port`, else 443 over
 * HTTPS and 80 over HTTP), so the page finds the CSRF cookie the server set behind a TLS proxy too.
 */
import { describe, expect, it } from 'vitest';
import { cookiePort, isHttpsRequest } from './cookies';

describe('cookiePort', () => {
  it("takes the Host header's port when it has one", () => {
    expect(cookiePort('127.0.0.1:3000', new Headers(), 'http://127.0.0.1:3000/')).toBe('3000');
    expect(cookiePort('[::1]:8443', new Headers({ 'x-forwarded-proto': 'https' }))).toBe('8443');
  });

  it('defaults to 443 over HTTPS, directly or behind a TLS-terminating proxy, and to 80 otherwise', () => {
    expect(cookiePort('mesh.example.org', new Headers(), 'https://mesh.example.org/')).toBe('443');
    expect(
      cookiePort(
        'mesh.example.org',
        new Headers({ 'x-forwarded-proto': 'https' }),
        'http://mesh.example.org/',
      ),
    ).toBe('443');
    expect(cookiePort('mesh.example.org', new Headers({ 'x-forwarded-proto': 'HTTPS, http' }))).toBe('443');
    expect(cookiePort('mesh.example.org', new Headers(), 'http://mesh.example.org/')).toBe('80');
    expect(cookiePort('mesh.example.org', new Headers({ 'x-forwarded-proto': 'http' }))).toBe('80');
  });

  it('isHttpsRequest: the URL or the first X-Forwarded-Proto', () => {
    expect(isHttpsRequest(new Headers({ 'x-forwarded-proto': 'http, https' }))).toBe(false);
    expect(isHttpsRequest(new Headers(), 'https://x/')).toBe(true);
  });
});
