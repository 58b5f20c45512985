import { describe, expect, it } from 'vitest';
import { formatAge } from './age';

const now = Date.parse('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('formatAge', () => {
  it('prints seconds, then minutes with seconds, like kubectl', () => {
    expect(formatAge(ago(45_000), now)).toBe('45s');
    expect(formatAge(ago(5 * 60_000 + 7_000), now)).toBe('5m7s');
    expect(formatAge(ago(42 * 60_000), now)).toBe('42m');
  });

  it('prints hours and days with a remainder while they are small', () => {
    expect(formatAge(ago(5 * 3_600_000 + 3 * 60_000), now)).toBe('5h3m');
    expect(formatAge(ago(3 * 86_400_000 + 4 * 3_600_000), now)).toBe('3d4h');
    expect(formatAge(ago(40 * 86_400_000), now)).toBe('40d');
  });

  it('says unknown for a missing or malformed time, and clamps clock skew to zero', () => {
    expect(formatAge(null, now)).toBe('unknown');
    expect(formatAge('yesterday', now)).toBe('unknown');
    expect(formatAge(new Date(now + 5_000).toISOString(), now)).toBe('0s');
  });
});
