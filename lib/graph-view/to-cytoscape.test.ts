import type { ElementDefinition } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/build-graph';
import { loadFixture } from '../graph/fixtures/load';
import type { GraphNode } from '../types/graph';
import { edgeLabel, nodeLabel, overviewElements, toCytoscapeElements } from './to-cytoscape';

const fixture = loadFixture('bookinfo');
const graph = buildGraph({ ...fixture, graphType: 'versionedApp', idle: true });
const chaos = buildGraph({ ...loadFixture('chaos'), graphType: 'workload', idle: false });

function find(elements: ReturnType<typeof toCytoscapeElements>, id: string) {
  const element = elements.find((candidate) => candidate.data.id === id);
  if (!element) throw new Error(`no element ${id}`);
  return element;
}

describe('toCytoscapeElements', () => {
  it('gives plain node and edge elements, parents first, that cytoscape accepts', () => {
    const elements = toCytoscapeElements(graph);
    const typed: ElementDefinition[] = elements;
    expect(typed).toHaveLength(graph.nodes.length + graph.edges.length);
    const firstChild = elements.findIndex((element) => element.group === 'nodes' && 'parent' in element.data);
    const lastBox = elements.findLastIndex(
      (element) => element.group === 'nodes' && element.classes.split(' ').includes('box'),
    );
    expect(lastBox).toBeGreaterThanOrEqual(0);
    expect(lastBox).toBeLessThan(firstChild);
    expect(JSON.parse(JSON.stringify(elements))).toEqual(elements);
  });

  it('gives cytoscape identity, the drawn text and the classes styles key on, none of the numbers', () => {
    const elements = toCytoscapeElements(graph);
    expect(find(elements, 'vapp:default:reviews:v2')).toEqual({
      group: 'nodes',
      data: { id: 'vapp:default:reviews:v2', parent: 'box:default:reviews', viewLabel: 'v2' },
      classes: 'kind-app health-idle idle',
    });
    const reviews = find(elements, 'svc:default:reviews');
    expect(reviews.classes).toBe('kind-service health-healthy badge-virtualService badge-trafficShifting');
    // Badge glyphs in drawing order under the name.
    expect(reviews.data.viewLabel).toBe('reviews\n⇄⎇');
    expect(find(elements, 'vapp:istio-system:istio-ingressgateway:latest').classes).toBe(
      'kind-app health-healthy root gateway badge-gateway',
    );
    expect(find(elements, 'box:default:reviews')).toEqual({
      group: 'nodes',
      data: { id: 'box:default:reviews', viewLabel: 'reviews' },
      classes: 'kind-app box health-healthy',
    });
    const toV1 = find(elements, 'svc:default:reviews->vapp:default:reviews:v1:http');
    expect(Object.keys(toV1.data).sort()).toEqual(['id', 'source', 'target', 'viewLabel']);
  });

  it('carries what edge styles and labels key on', () => {
    const elements = toCytoscapeElements(graph, { edgeLabels: 'percent' });
    const toV1 = find(elements, 'svc:default:reviews->vapp:default:reviews:v1:http');
    expect(toV1).toMatchObject({
      group: 'edges',
      data: { source: 'svc:default:reviews', target: 'vapp:default:reviews:v1' },
      classes: 'protocol-http health-healthy mtls-full',
    });
    expect(toV1.data.viewLabel).toMatch(/^\d\d\.\d%$/);
    const idle = find(elements, 'svc:default:reviews->vapp:default:reviews:v2:http');
    expect(idle.classes).toBe('protocol-http health-idle idle');
    expect(idle.data.viewLabel).toBe('');
  });

  it('labels edges in every mode', () => {
    const edge = graph.edges.find(
      (candidate) => candidate.id === 'svc:default:reviews->vapp:default:reviews:v3:http',
    );
    if (!edge) throw new Error('missing edge');
    expect(edgeLabel(edge, 'rps')).toMatch(/^\d\.\d\d rps$/);
    expect(edgeLabel(edge, 'percent')).toMatch(/%$/);
    expect(edgeLabel(edge, 'rt')).toMatch(/ms$/);
    expect(edgeLabel(edge, 'throughput')).toMatch(/B\/s$/);
    for (const mode of ['rps', 'percent', 'rt', 'throughput', 'none'] as const) {
      const [element] = toCytoscapeElements({ nodes: [], edges: [edge] }, { edgeLabels: mode });
      expect(element?.data.viewLabel).toBe(mode === 'none' ? '' : edgeLabel(edge, mode));
    }
    const tcp = chaos.edges.find((candidate) => candidate.protocol === 'tcp');
    if (!tcp) throw new Error('missing tcp edge');
    expect(edgeLabel(tcp, 'rps')).toBe('');
    expect(edgeLabel(tcp, 'throughput')).toMatch(/KiB\/s$/);
  });

  it('marks a tripped circuit breaker: target has one and Envoy answered UO or UH', () => {
    const target = chaos.nodes.find((node) => node.id === 'wl:default:reviews-v3');
    const edge = chaos.edges.find(
      (candidate) => candidate.id === 'svc:default:reviews->wl:default:reviews-v3:http',
    );
    if (!target || !edge) throw new Error('missing element');
    const [, tripped] = toCytoscapeElements({
      nodes: [target],
      edges: [{ ...edge, responseFlags: { UO: 0.5 } }],
    });
    expect(tripped?.classes).toContain('cb-tripped');
    expect(tripped?.data.viewLabel).toMatch(/^⚡ \d/);
    const [, calm] = toCytoscapeElements({
      nodes: [target],
      edges: [{ ...edge, responseFlags: { URX: 1 } }],
    });
    expect(calm?.classes).not.toContain('cb-tripped');
    expect(calm?.data.viewLabel).not.toContain('⚡');
  });

  it('adds the find and hide classes', () => {
    const elements = toCytoscapeElements(graph, {
      found: new Set(['svc:default:reviews']),
      hidden: new Set(['svc:default:reviews->vapp:default:reviews:v1:http']),
    });
    expect(find(elements, 'svc:default:reviews').classes).toMatch(/ find-match$/);
    expect(find(elements, 'svc:default:reviews->vapp:default:reviews:v1:http').classes).toMatch(
      / find-hidden$/,
    );
  });

  it('names versioned nodes by version inside a box', () => {
    const v1 = graph.nodes.find((node) => node.id === 'vapp:default:reviews:v1');
    if (!v1) throw new Error('missing node');
    expect(nodeLabel(v1)).toBe('v1');
    const { parent: _parent, ...loose } = v1;
    expect(nodeLabel(loose as GraphNode)).toBe('reviews v1');
  });
});

describe('overviewElements', () => {
  it('drops text and lock markers, keeping health, dashes and find/hide', () => {
    const drawn = toCytoscapeElements(graph, {
      found: new Set(['svc:default:reviews->vapp:default:reviews:v1:http']),
    });
    const overview = overviewElements(drawn);
    expect(overview.every((element) => element.data.viewLabel === '')).toBe(true);
    expect(overview.some((element) => /mtls-/.test(String(element.classes)))).toBe(false);
    const toV1 = overview.find(
      (element) => element.data.id === 'svc:default:reviews->vapp:default:reviews:v1:http',
    );
    expect(toV1?.classes).toBe('protocol-http health-healthy find-match');
    const idle = overview.find(
      (element) => element.data.id === 'svc:default:reviews->vapp:default:reviews:v2:http',
    );
    expect(idle?.classes).toBe('protocol-http health-idle idle');
  });
});
