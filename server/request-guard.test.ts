import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { assertSameOriginJson } from './request-guard';

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
