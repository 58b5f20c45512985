import { describe, expect, it } from 'vitest';
import { formatBytesPerSecond, formatMs, formatPercent, formatRatio, formatRps } from './traffic';

describe('traffic formatting', () => {
  it('formats request rates by magnitude', () => {
    expect(formatRps(0)).toBe('0');
    expect(formatRps(0.004)).toBe('<0.01');
    expect(formatRps(3.14259)).toBe('3.14');
    expect(formatRps(42.42)).toBe('42.4');
    expect(formatRps(1234.5)).toBe('1235');
  });

  it('formats shares', () => {
    expect(formatPercent(49.96)).toBe('50.0%');
    expect(formatRatio(0.125)).toBe('12.5%');
    expect(formatPercent(Number.NaN)).toBe('–');
  });

  it('formats durations', () => {
    expect(formatMs(null)).toBe('–');
    expect(formatMs(4.25)).toBe('4.3ms');
    expect(formatMs(250.4)).toBe('250ms');
    expect(formatMs(12_500)).toBe('12.5s');
  });

  it('formats throughput', () => {
    expect(formatBytesPerSecond(0)).toBe('0 B/s');
    expect(formatBytesPerSecond(512)).toBe('512 B/s');
    expect(formatBytesPerSecond(2048)).toBe('2.0 KiB/s');
  });
});
