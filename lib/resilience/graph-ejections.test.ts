import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/build-graph';
import { applyFindHide } from '../graph/find-hide';
import { loadFixture } from '../graph/fixtures/load';
import { toCytoscapeElements } from '../graph-view/to-cytoscape';
import type { PodResilience } from '../types/resilience';
import {
  servicesThatMayEject,
  trippedBreaker,
  trippedBreakerText,
  withNodeEjections,
} from './graph-ejections';

const fixture = loadFixture('chaos');
const built = buildGraph({ ...fixture, graphType: 'workload', idle: true });
const reviewsPods = fixture.config.pods.filter((pod) => pod.labels.app === 'reviews');
const flaky = reviewsPods.find((pod) => pod.labels.version === 'v3');

function states(ejected: string | undefined): PodResilience[] {
  return reviewsPods.map((pod) => ({
    pod: { namespace: pod.namespace, name: pod.name },
    address: pod.podIP,
    subsets: [pod.labels.version ?? ''],
    state: pod.name === ejected ? 'ejected' : 'healthy',
    ejectedBy: pod.name === ejected ? 1 : 0,
    seenBy: 1,
  }));
}

describe('ejections on graph nodes', () => {
  it('says how many of a service’s and a workload’s pods are ejected, and `ejected` finds them', () => {
    const nodes = withNodeEjections(
      built.nodes,
      new Map([['default/reviews', states(flaky?.name)]]),
      fixture.config.pods,
    );
    const byId = new Map(nodes.map((node) => [node.id, node]));
    expect(byId.get('svc:default:reviews')?.ejection?.text).toBe('1 of 4 pods ejected');
    expect(byId.get('wl:default:reviews-v3')?.ejection).toEqual({
      ejected: 1,
      total: 2,
      text: '1 of 2 pods ejected',
    });
    expect(byId.get('wl:default:productpage-v1')?.ejection).toBeUndefined();
    const result = applyFindHide({ nodes, edges: built.edges }, 'ejected', '');
    expect([...result.found].sort()).toEqual(['svc:default:reviews', 'wl:default:reviews-v3']);
    expect(
      applyFindHide({ nodes, edges: built.edges }, '', 'ejected').hidden.has('wl:default:reviews-v3'),
    ).toBe(true);
  });

  it('draws `⊘ 1 of 2 pods ejected` under the node on the canvas, and nothing for nodes in service', () => {
    const nodes = withNodeEjections(
      built.nodes,
      new Map([['default/reviews', states(flaky?.name)]]),
      fixture.config.pods,
    );
    const drawn = toCytoscapeElements({ nodes, edges: built.edges });
    const label = (id: string) => drawn.find((element) => element.data.id === id)?.data.viewLabel;
    expect(label('wl:default:reviews-v3')).toMatch(/\n⊘ 1 of 2 pods ejected$/);
    expect(label('wl:default:reviews-v1')).not.toContain('⊘');
  });

  it('leaves nodes alone when nothing is watched or nothing is ejected', () => {
    expect(withNodeEjections(built.nodes, new Map(), fixture.config.pods)).toEqual(built.nodes);
    const calm = withNodeEjections(
      built.nodes,
      new Map([['default/reviews', states(undefined)]]),
      fixture.config.pods,
    );
    expect(applyFindHide({ nodes: calm, edges: built.edges }, 'ejected', '').found.size).toBe(0);
  });

  it('only services with outlier detection may eject', () => {
    expect(
      servicesThatMayEject(fixture.config.istio, fixture.config.services).map((service) => service.name),
    ).toEqual(['reviews']);
  });
});

describe('tripped breakers on edges', () => {
  it('adds UO and UH rates, also inside combined flags, and `tripped` finds the edge', () => {
    const edge = { responseFlags: { UO: 0.5, 'UH,URX': 0.25, FI: 3 } };
    expect(trippedBreaker(edge)).toEqual({ uo: 0.5, uh: 0.25 });
    expect(trippedBreakerText(edge)).toBe(
      'Circuit breaker tripped: 0.50 req/s UO (overflow), 0.25 req/s UH (no healthy upstream)',
    );
    expect(trippedBreaker({ responseFlags: { FI: 1 } })).toBeUndefined();
    const [first, ...rest] = built.edges;
    if (!first) throw new Error('no edges');
    const edges = [{ ...first, responseFlags: { UO: 1 } }, ...rest];
    expect([...applyFindHide({ nodes: built.nodes, edges }, 'tripped', '').found]).toEqual([first.id]);
  });
});
