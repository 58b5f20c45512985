import { describe, expect, it } from 'vitest';
import { parseResilienceQuery } from './params';

const path = { namespace: 'default', service: 'reviews' };

describe('parseResilienceQuery', () => {
  it('defaults the window to 10 minutes and reads durations', () => {
    expect(parseResilienceQuery(path, new URLSearchParams())).toEqual({
      ok: true,
      query: { namespace: 'default', service: 'reviews', windowSeconds: 600 },
    });
    expect(parseResilienceQuery(path, new URLSearchParams('duration=1h'))).toMatchObject({
      query: { windowSeconds: 3600 },
    });
    expect(parseResilienceQuery(path, new URLSearchParams('duration=90'))).toMatchObject({
      query: { windowSeconds: 90 },
    });
  });

  it('names each bad parameter', () => {
    const parsed = parseResilienceQuery(
      { namespace: 'Default', service: 'reviews' },
      new URLSearchParams('duration=soon'),
    );
    expect(parsed).toEqual({
      ok: false,
      problems: [
        'namespace: must be a Kubernetes name (RFC 1123 label)',
        'duration: must be a duration such as 60s, 10m or 1h',
      ],
    });
    expect(parseResilienceQuery(path, new URLSearchParams('duration=5s'))).toMatchObject({ ok: false });
    expect(parseResilienceQuery(path, new URLSearchParams('duration=30d'))).toMatchObject({ ok: false });
  });
});
