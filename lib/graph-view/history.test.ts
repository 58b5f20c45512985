import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode, GraphResponse } from '../types/graph';
import { appendToHistory, EMPTY_HISTORY, type GraphHistory, historyOf } from './history';

function node(id: string, inboundRps: number, outboundRps = 0): GraphNode {
  return {
    id,
    kind: 'app',
    namespace: 'default',
    name: id,
    badges: [],
    health: { status: 'healthy', errorRate: 0 },
    traffic: { inboundRps, outboundRps, inboundErrorRate: 0.1, outboundErrorRate: 0.2 },
  };
}

function edge(id: string, rps: number): GraphEdge {
  return {
    id,
    source: 'a',
    target: 'b',
    protocol: 'http',
    rps,
    percentOfSource: 100,
    errorRate: 0,
    responseTime: { p50: 1, p95: 5, p99: 9 },
    throughput: null,
    mtlsPercent: 100,
    responseCodes: {},
    responseFlags: {},
    sourcePrincipals: [],
    destinationPrincipals: [],
    health: 'healthy',
  };
}

function graph(seconds: number, nodes: GraphNode[], edges: GraphEdge[]): GraphResponse {
  return {
    timestamp: new Date(seconds * 1000).toISOString(),
    duration: 60,
    graphType: 'app',
    namespaces: ['default'],
    nodes,
    edges,
    telemetry: null,
    warnings: [],
  };
}

describe('appendToHistory', () => {
  it('records one sample per node and edge per graph', () => {
    let history: GraphHistory = EMPTY_HISTORY;
    history = appendToHistory(history, graph(100, [node('a', 0, 5), node('b', 5)], [edge('a>b', 5)]));
    history = appendToHistory(history, graph(110, [node('a', 0, 6), node('b', 6)], [edge('a>b', 6)]));
    expect(historyOf(history, 'a>b')?.map((sample) => sample.rps)).toEqual([5, 6]);
    expect(historyOf(history, 'a>b')?.[1]).toMatchObject({ t: 110_000, p95: 5 });
    expect(historyOf(history, 'b')?.[0]?.p95).toBeNull();
    // A node that only sends is charted by what it sends.
    expect(historyOf(history, 'a')?.map((sample) => [sample.rps, sample.errorRate])).toEqual([
      [5, 0.2],
      [6, 0.2],
    ]);
    expect(historyOf(history, 'b')?.[0]?.errorRate).toBe(0.1);
  });

  it('ignores a graph it has already seen', () => {
    const once = appendToHistory(EMPTY_HISTORY, graph(100, [node('b', 1)], []));
    const twice = appendToHistory(once, graph(100, [node('b', 1)], []));
    expect(historyOf(twice, 'b')).toHaveLength(1);
    expect(twice).toBe(once);
  });

  it('drops old samples and forgets ids with none left', () => {
    const limits = { maxSamples: 2, maxAgeMs: 30_000 };
    let history = appendToHistory(EMPTY_HISTORY, graph(100, [node('gone', 1)], []), limits);
    for (const seconds of [110, 120, 130, 140]) {
      history = appendToHistory(history, graph(seconds, [node('b', seconds)], []), limits);
    }
    expect(historyOf(history, 'b')?.map((sample) => sample.rps)).toEqual([130, 140]);
    expect(historyOf(history, 'gone')).toEqual([]);
    expect(history.snapshots).toHaveLength(2);
  });

  it('shares one index between graphs with the same nodes and edges', () => {
    let history = appendToHistory(EMPTY_HISTORY, graph(100, [node('a', 1), node('b', 1)], [edge('a>b', 1)]));
    history = appendToHistory(history, graph(110, [node('a', 2), node('b', 2)], [edge('a>b', 2)]));
    history = appendToHistory(history, graph(120, [node('a', 3)], []));
    const [first, second, third] = history.snapshots;
    expect(second?.index).toBe(first?.index);
    expect(third?.index).not.toBe(first?.index);
    expect(historyOf(history, 'a').map((sample) => sample.rps)).toEqual([1, 2, 3]);
    expect(historyOf(history, 'a>b').map((sample) => sample.rps)).toEqual([1, 2]);
  });
});
