import { describe, expect, it } from 'vitest';
import { parseAuthSettings } from './auth/settings';
import { AppError } from './errors';
import { assertSameOriginJson, isAllowedHost } from './request-guard';

function put(headers: Record<string, string>): Request {
  return new Request('http://127.0.0.1:3000/api/traffic-split/default/reviews', {
    method: 'PUT',
    headers,
    body: '{}',
  });
}

function refusal(request: Request): string | undefined {
  try {
    assertSameOriginJson(request);
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  }
}

describe('assertSameOriginJson', () => {
  it("accepts JSON from the dashboard's own pages, and from scripts that send no Origin", () => {
    expect(
      refusal(
        put({ 'content-type': 'application/json', host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }),
      ),
    ).toBeUndefined();
    expect(
      refusal(put({ 'content-type': 'application/json; charset=utf-8', host: '127.0.0.1:3000' })),
    ).toBeUndefined();
  });

  it('refuses what a cross-site form or a simple cross-origin request can send', () => {
    expect(refusal(put({ 'content-type': 'text/plain', host: '127.0.0.1:3000' }))).toBe(
      '400 invalid:content-type',
    );
    expect(refusal(put({ 'content-type': 'application/x-www-form-urlencoded' }))).toBe(
      '400 invalid:content-type',
    );
    expect(
      refusal(
        put({ 'content-type': 'application/json', host: '127.0.0.1:3000', origin: 'http://localhost:5173' }),
      ),
    ).toBe('403 forbidden:origin');
    expect(refusal(put({ 'content-type': 'application/json', host: '127.0.0.1:3000', origin: 'null' }))).toBe(
      '403 forbidden:origin',
    );
  });
});

describe('isAllowedHost (DNS rebinding)', () => {
  const applySettings = (env: Record<string, string>) => {
    (globalThis as Record<symbol, unknown>)[Symbol.for('meshscope.authSettings')] = parseAuthSettings(
      env as NodeJS.ProcessEnv,
    );
  };

  it("local mode: loopback names on the launcher's port, and configured names", () => {
    applySettings({
      MESHSCOPE_PORT: '3000',
      MESHSCOPE_ALLOWED_HOSTS: 'mesh.example.org, dash.internal:8443',
    });
    expect(isAllowedHost('127.0.0.1:3000')).toBe(true);
    expect(isAllowedHost('localhost:3000')).toBe(true);
    expect(isAllowedHost('[::1]:3000')).toBe(true);
    expect(isAllowedHost('127.0.0.1:3001')).toBe(false);
    expect(isAllowedHost('evil.example:3000')).toBe(false);
    expect(isAllowedHost('127.0.0.1.evil.example:3000')).toBe(false);
    expect(isAllowedHost('mesh.example.org')).toBe(true);
    expect(isAllowedHost('dash.internal:8443')).toBe(true);
    expect(isAllowedHost('dash.internal:9000')).toBe(false);
  });

  it('token mode: loopback on any port (kubectl port-forward picks its own)', () => {
    applySettings({ MESHSCOPE_AUTH_MODE: 'token', MESHSCOPE_PORT: '3000' });
    expect(isAllowedHost('localhost:8080')).toBe(true);
    expect(isAllowedHost('meshscope.default.svc:3000')).toBe(false);
  });
});
