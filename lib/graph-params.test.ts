import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GRAPH_PAGE_STATE,
  graphPageSearch,
  graphQueryString,
  parseDurationSeconds,
  parseGraphPageState,
  parseGraphQuery,
  refreshIntervalMs,
} from './graph-params';

describe('parseDurationSeconds', () => {
  it.each([
    ['60s', 60],
    ['5m', 300],
    ['1h', 3600],
    ['1d', 86_400],
    ['90', 90],
  ])('reads %s', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it('gives NaN for anything else', () => {
    expect(parseDurationSeconds('soon')).toBeNaN();
    expect(parseDurationSeconds('-5m')).toBeNaN();
  });
});

describe('parseGraphQuery', () => {
  it('reads the documented query with defaults', () => {
    const result = parseGraphQuery(new URLSearchParams('namespaces=default,bookinfo'));
    expect(result).toEqual({
      ok: true,
      query: { namespaces: ['default', 'bookinfo'], graphType: 'versionedApp', duration: 60, idle: false },
    });
  });

  it('reads every parameter', () => {
    const result = parseGraphQuery(
      new URLSearchParams('namespaces=a&graphType=service&duration=5m&idle=true'),
    );
    expect(result).toEqual({
      ok: true,
      query: { namespaces: ['a'], graphType: 'service', duration: 300, idle: true },
    });
  });

  it('names each problem', () => {
    const result = parseGraphQuery(
      new URLSearchParams('namespaces=Bad_Name&graphType=galaxy&duration=forever&idle=maybe'),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/namespaces/);
    expect(result.problems.join('\n')).toMatch(/graphType/);
    expect(result.problems.join('\n')).toMatch(/duration/);
    expect(result.problems.join('\n')).toMatch(/idle/);
  });

  it('wants at least one namespace', () => {
    const result = parseGraphQuery(new URLSearchParams(''));
    expect(result.ok).toBe(false);
  });

  it('round-trips through graphQueryString', () => {
    const query = { namespaces: ['a', 'b'], graphType: 'app' as const, duration: 600, idle: true };
    expect(parseGraphQuery(new URLSearchParams(graphQueryString(query)))).toEqual({ ok: true, query });
  });
});

describe('parseGraphPageState', () => {
  it('falls back to defaults for missing and unreadable values', () => {
    const state = parseGraphPageState(
      new URLSearchParams('namespaces=default,Bad!&graphType=nope&duration=7m&refresh=2s&view=3d'),
    );
    expect(state).toEqual({ ...DEFAULT_GRAPH_PAGE_STATE, namespaces: ['default'] });
  });

  it('round-trips a full state through the URL', () => {
    const state = {
      ...DEFAULT_GRAPH_PAGE_STATE,
      namespaces: ['default', 'istio-system'],
      graphType: 'workload' as const,
      duration: 1800,
      idle: true,
      refresh: 'pause' as const,
      edgeLabels: 'rt' as const,
      autoFit: false,
      find: 'version = v3',
      hide: 'name = productpage',
      selected: 'node:default:reviews',
      view: 'table' as const,
    };
    expect(parseGraphPageState(new URLSearchParams(graphPageSearch(state)))).toEqual(state);
  });

  it('leaves defaults out of the URL but always names namespaces and graph type', () => {
    expect(graphPageSearch({ ...DEFAULT_GRAPH_PAGE_STATE, namespaces: ['a', 'b'] })).toBe(
      'namespaces=a,b&graphType=versionedApp',
    );
  });
});

describe('refreshIntervalMs', () => {
  it('gives milliseconds, or false when paused', () => {
    expect(refreshIntervalMs('10s')).toBe(10_000);
    expect(refreshIntervalMs('1m')).toBe(60_000);
    expect(refreshIntervalMs('pause')).toBe(false);
  });
});
