import { describe, expect, it } from 'vitest';
import { browserUrl, isLoopback } from './values';

describe('browserUrl', () => {
  it('shows wildcard addresses as loopback and brackets IPv6', () => {
    expect(browserUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000/');
    expect(browserUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080/');
    expect(browserUrl('::', 8080)).toBe('http://[::1]:8080/');
    expect(browserUrl('fd00::1', 80)).toBe('http://[fd00::1]:80/');
  });
});

describe('isLoopback', () => {
  it('knows loopback from the rest', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('10.0.0.5')).toBe(false);
  });
});
