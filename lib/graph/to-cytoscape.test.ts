import type { ElementDefinition } from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { buildGraph } from './build-graph';
import { loadFixture } from './fixtures/load';
import { edgeLabels, nodeLabel, toCytoscapeElements } from './to-cytoscape';

const fixture = loadFixture('bookinfo');
const graph = buildGraph({ ...fixture, graphType: 'versionedApp', idle: true });
const chaos = buildGraph({ ...loadFixture('chaos'), graphType: 'workload', idle: false });

describe('toCytoscapeElements', () => {
  it('gives plain node and edge elements, parents first, that cytoscape accepts', () => {
    const elements = toCytoscapeElements(graph);
    const typed: ElementDefinition[] = elements;
    expect(typed).toHaveLength(graph.nodes.length + graph.edges.length);
    const firstChild = elements.findIndex((element) => element.group === 'nodes' && element.data.parent);
    const lastBox = elements.findLastIndex((element) => element.group === 'nodes' && element.data.isBox);
    expect(lastBox).toBeLessThan(firstChild);
    expect(JSON.parse(JSON.stringify(elements))).toEqual(elements);
  });

  it('carries what node styles key on', () => {
    const elements = toCytoscapeElements(graph);
    const find = (id: string) => elements.find((element) => element.data.id === id);
    expect(find('vapp:default:reviews:v2')).toEqual({
      group: 'nodes',
      data: expect.objectContaining({
        parent: 'box:default:reviews',
        label: 'v2',
        kind: 'app',
        health: 'idle',
        isIdle: true,
        isBox: false,
      }),
      classes: 'kind-app health-idle idle',
    });
    expect(find('svc:default:reviews')?.data).toMatchObject({
      badges: ['virtualService', 'trafficShifting'],
      hasVirtualService: true,
      hasTrafficShifting: true,
    });
    expect(find('svc:default:reviews')?.classes).toBe(
      'kind-service health-healthy badge-virtualService badge-trafficShifting',
    );
    expect(find('vapp:istio-system:istio-ingressgateway:latest')?.classes).toBe(
      'kind-app health-healthy root gateway badge-gateway',
    );
    expect(find('box:default:reviews')?.classes).toBe('kind-app box health-healthy');
  });

  it('carries what edge styles and labels key on', () => {
    const elements = toCytoscapeElements(graph, { edgeLabels: 'percent' });
    const toV1 = elements.find(
      (element) => element.data.id === 'svc:default:reviews->vapp:default:reviews:v1:http',
    );
    expect(toV1?.group).toBe('edges');
    expect(toV1?.classes).toBe('protocol-http health-healthy mtls-full');
    expect(toV1?.data).toMatchObject({
      source: 'svc:default:reviews',
      target: 'vapp:default:reviews:v1',
      isMTLS: true,
      mtlsPercent: 100,
      circuitBreakerTripped: false,
    });
    expect(toV1?.data.label).toMatch(/^\d\d\.\d%$/);
    expect(toV1?.data.rpsLabel).toMatch(/^\d\.\d\d rps$/);
    expect(toV1?.data.responseTimeLabel).toMatch(/ms$/);
    expect(toV1?.data.throughputLabel).toMatch(/B\/s$/);
    const idle = elements.find(
      (element) => element.data.id === 'svc:default:reviews->vapp:default:reviews:v2:http',
    );
    expect(idle?.classes).toBe('protocol-http health-idle idle');
    expect(idle?.data.label).toBe('');
  });

  it('labels in every mode', () => {
    const edge = graph.edges.find(
      (candidate) => candidate.id === 'svc:default:reviews->vapp:default:reviews:v3:http',
    );
    if (!edge) throw new Error('missing edge');
    const texts = edgeLabels(edge);
    for (const mode of ['rps', 'percent', 'rt', 'throughput', 'none'] as const) {
      const element = toCytoscapeElements({ nodes: [], edges: [edge] }, { edgeLabels: mode })[0];
      expect(element?.data.label).toBe(mode === 'none' ? '' : texts[mode]);
    }
    const tcp = chaos.edges.find((candidate) => candidate.protocol === 'tcp');
    if (!tcp) throw new Error('missing tcp edge');
    expect(edgeLabels(tcp).rps).toBe('');
    expect(edgeLabels(tcp).throughput).toMatch(/KiB\/s$/);
  });

  it('marks a tripped circuit breaker: target has one and Envoy answered UO or UH', () => {
    const target = chaos.nodes.find((node) => node.id === 'wl:default:reviews-v3');
    const edge = chaos.edges.find(
      (candidate) => candidate.id === 'svc:default:reviews->wl:default:reviews-v3:http',
    );
    if (!target || !edge) throw new Error('missing element');
    const overflow = { ...edge, responseFlags: { UO: 0.5 } };
    const [, element] = toCytoscapeElements({ nodes: [target], edges: [overflow] });
    expect(element?.data.circuitBreakerTripped).toBe(true);
    expect(element?.classes).toContain('cb-tripped');
    const [, calm] = toCytoscapeElements({
      nodes: [target],
      edges: [{ ...edge, responseFlags: { URX: 1 } }],
    });
    expect(calm?.data.circuitBreakerTripped).toBe(false);
  });

  it('names versioned nodes by version inside a box', () => {
    const v1 = graph.nodes.find((node) => node.id === 'vapp:default:reviews:v1');
    if (!v1) throw new Error('missing node');
    expect(nodeLabel(v1)).toBe('v1');
    const { parent: _parent, ...loose } = v1;
    expect(nodeLabel(loose)).toBe('reviews v1');
  });
});
