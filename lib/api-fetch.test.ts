import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromBody, isRetryable } from './api-fetch';

describe('apiErrorFromBody', () => {
  it('keeps the code and message of our error bodies', () => {
    const error = apiErrorFromBody(
      503,
      'Service Unavailable',
      '{"code":"unavailable:kube","message":"down"}',
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'unavailable:kube', message: 'down' });
  });

  it("keeps a body's details, such as a conflict's current object", () => {
    const error = apiErrorFromBody(
      409,
      'Conflict',
      '{"code":"conflict:resource-version","message":"changed","details":{"current":{"resourceVersion":"7"}}}',
    );
    expect(error.details).toEqual({ current: { resourceVersion: '7' } });
    expect(apiErrorFromBody(400, 'Bad Request', '{"code":"invalid","message":"no"}').details).toBeUndefined();
  });

  it('gives a readable message for foreign bodies', () => {
    const error = apiErrorFromBody(502, 'Bad Gateway', '<html>nginx</html>');
    expect(error).toMatchObject({ status: 502, code: 'unavailable' });
    expect(error.message).toContain('502 Bad Gateway');
  });
});

describe('isRetryable', () => {
  it('never retries answers that asking again cannot change', () => {
    for (const status of [401, 403, 404, 409]) {
      expect(isRetryable(new ApiError(status, 'forbidden', 'no'))).toBe(false);
    }
    expect(isRetryable(new ApiError(503, 'unavailable:kube', 'down'))).toBe(false);
  });

  it('retries network failures and failing proxies', () => {
    expect(isRetryable(new ApiError(0, 'unavailable:network', 'offline'))).toBe(true);
    expect(isRetryable(new ApiError(502, 'unavailable', 'bad gateway'))).toBe(true);
    expect(isRetryable(new TypeError('boom'))).toBe(true);
  });
});
