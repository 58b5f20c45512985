import { describe, expect, it } from 'vitest';
import {
  externalLinks,
  matchesSearch,
  parseWorkloadListState,
  parseWorkloadPageState,
  workloadListSearch,
  workloadPageSearch,
} from './page-state';

describe('workload list URL state', () => {
  it('round-trips and falls back to defaults on nonsense', () => {
    const state = parseWorkloadListState(
      new URLSearchParams(
        'namespaces=default,shop&duration=300s&refresh=30s&q=reviews&sidecar=missing&health=degraded',
      ),
    );
    expect(state).toEqual({
      namespaces: ['default', 'shop'],
      duration: 300,
      refresh: '30s',
      search: 'reviews',
      sidecar: 'missing',
      health: 'degraded',
    });
    expect(parseWorkloadListState(new URLSearchParams(workloadListSearch(state)))).toEqual(state);
    expect(parseWorkloadListState(new URLSearchParams('refresh=never&sidecar=maybe&duration=x'))).toEqual({
      namespaces: [],
      duration: 60,
      refresh: '15s',
      search: '',
      sidecar: '',
      health: '',
    });
    expect(workloadListSearch(parseWorkloadListState(new URLSearchParams()))).toBe('');
  });
});

describe('workload page URL state', () => {
  it('round-trips and keeps only known windows, tabs, codes and flags', () => {
    const state = parseWorkloadPageState(
      new URLSearchParams(
        'duration=1800s&refresh=10s&pod=reviews-v3-abc&tab=clusters&q=v3&code=5xx&flag=UO&follow=true&tail=1000',
      ),
    );
    expect(state).toEqual({
      duration: 1800,
      refresh: '10s',
      pod: 'reviews-v3-abc',
      tab: 'clusters',
      search: 'v3',
      logCode: '5xx',
      logFlag: 'UO',
      follow: true,
      tail: 1000,
    });
    expect(parseWorkloadPageState(new URLSearchParams(workloadPageSearch(state)))).toEqual(state);
    const bad = parseWorkloadPageState(
      new URLSearchParams('duration=7s&tab=secrets&code=6xx&flag=<x>&pod=Bad_Name'),
    );
    expect(bad).toMatchObject({ duration: 600, tab: 'routes', logCode: '', logFlag: '', pod: '', tail: 300 });
  });
});

describe('externalLinks', () => {
  it('carries the window into Grafana and the tracing search', () => {
    const links = externalLinks(
      { grafana: 'https://grafana.example', tracing: 'https://jaeger.example' },
      { namespace: 'default', name: 'reviews-v3', app: 'reviews' },
      600,
      1_000_000_000,
    );
    expect(links.grafana).toBe(
      'https://grafana.example/d/UbsSZTDik/istio-workload-dashboard?var-namespace=default&var-workload=reviews-v3&from=999400000&to=1000000000',
    );
    expect(links.tracing).toBe(
      'https://jaeger.example/search?service=reviews.default&start=999400000000&end=1000000000000&limit=20',
    );
    expect(externalLinks({}, { namespace: 'a', name: 'b', app: 'b' }, 60, 0)).toEqual({});
  });
});

describe('matchesSearch', () => {
  const row = {
    name: 'reviews-v3',
    namespace: 'default',
    app: 'reviews',
    version: 'v3',
    labels: { team: 'books' },
  };
  it('needs every word in the name, namespace, app, version or labels', () => {
    expect(matchesSearch(row, 'reviews team=books')).toBe(true);
    expect(matchesSearch(row, 'REVIEWS v3')).toBe(true);
    expect(matchesSearch(row, 'reviews v1')).toBe(false);
    expect(matchesSearch(row, '  ')).toBe(true);
  });
});
