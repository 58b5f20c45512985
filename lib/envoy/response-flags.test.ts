import { describe, expect, it } from 'vitest';
import {
  decodeResponseFlags,
  describeResponseFlag,
  RESPONSE_FLAGS,
  signalsCircuitBreaking,
} from './response-flags';

describe('describeResponseFlag', () => {
  it('names circuit breaking and ejection in words', () => {
    expect(describeResponseFlag('UO').description).toBe('upstream overflow (circuit breaker open)');
    expect(describeResponseFlag('UH').description).toMatch(/^no healthy upstream/);
    expect(describeResponseFlag('URX').name).toBe('UpstreamRetryLimitExceeded');
  });

  it.each([
    ['UF', 'upstream connection failure'],
    ['UC', 'upstream connection terminated'],
    ['NR', 'no route configured for the request'],
    ['FI', 'aborted by fault injection'],
    ['DI', 'delayed by fault injection'],
    ['UT', 'upstream request timeout'],
    ['DC', 'downstream connection terminated'],
    ['LR', 'connection reset locally'],
    ['RL', 'rate limited locally'],
    ['UAEX', 'denied by the external authorization service'],
  ])('decodes %s', (code, description) => {
    expect(describeResponseFlag(code).description).toBe(description);
  });

  it('keeps an unknown flag and says so', () => {
    expect(describeResponseFlag('ZZ')).toMatchObject({
      code: 'ZZ',
      description: 'unknown response flag "ZZ"',
    });
  });

  it('has one entry per code', () => {
    const codes = RESPONSE_FLAGS.map((flag) => flag.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('decodeResponseFlags', () => {
  it('reads none from "-" and the empty string', () => {
    expect(decodeResponseFlags('-')).toEqual([]);
    expect(decodeResponseFlags('')).toEqual([]);
  });

  it('splits combined flags on commas and on the old pipe separator', () => {
    expect(decodeResponseFlags('UH,URX').map((flag) => flag.code)).toEqual(['UH', 'URX']);
    expect(decodeResponseFlags('UO|UF').map((flag) => flag.code)).toEqual(['UO', 'UF']);
  });
});

describe('signalsCircuitBreaking', () => {
  it('is true for UO and UH only', () => {
    expect(signalsCircuitBreaking('UO')).toBe(true);
    expect(signalsCircuitBreaking('UF,UH')).toBe(true);
    expect(signalsCircuitBreaking('URX')).toBe(false);
    expect(signalsCircuitBreaking('-')).toBe(false);
  });
});
