import { describe, expect, it } from 'vitest';
import { IdentityPool } from './identity-pool';

describe('IdentityPool', () => {
  it('creates one instance per identity, drops the least recent beyond the bound and idle ones', () => {
    const disposed: string[] = [];
    const pool = new IdentityPool<string>({
      dispose: (value) => disposed.push(value),
      idleMs: 1_000,
      max: 2,
    });
    expect(pool.get('a', () => 'A', 0)).toBe('A');
    expect(pool.get('a', () => 'A2', 10)).toBe('A');
    pool.get('b', () => 'B', 20);
    pool.get('a', () => 'A3', 30);
    pool.get('c', () => 'C', 40);
    expect(disposed).toEqual(['B']);
    expect(pool.size).toBe(2);
    pool.sweep(1_035);
    expect(disposed).toEqual(['B', 'A']);
    expect(pool.get('c', () => 'C2', 1_036)).toBe('C');
  });
});
