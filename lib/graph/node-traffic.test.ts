import { describe, expect, it } from 'vitest';
import { boxApps } from './app-boxes';
import { indexConfig } from './config-index';
import { edgeTraffic } from './edge-traffic';
import { bookinfoConfig, request, telemetry, workingGraph } from './fixtures/builders';
import { nodeTraffic } from './node-traffic';

const snapshot = telemetry({
  requests: [
    request({ from: 'default/productpage-v1', service: 'reviews', to: 'default/reviews-v1', rate: 4 }),
    request({
      from: 'default/productpage-v1',
      service: 'reviews',
      to: 'default/reviews-v3',
      rate: 4,
      code: '500',
    }),
    request({ from: 'default/reviews-v3', service: 'ratings', to: 'default/ratings-v1', rate: 4 }),
  ],
});

describe('nodeTraffic', () => {
  it('sums rates and error shares in and out of each node', () => {
    const graph = nodeTraffic(edgeTraffic(workingGraph(snapshot)));
    const traffic = (id: string) => graph.nodes.find((node) => node.id === id)?.traffic;
    expect(traffic('wl:default:productpage-v1')).toEqual({
      inboundRps: 0,
      outboundRps: 8,
      inboundErrorRate: 0,
      outboundErrorRate: 0.5,
    });
    expect(traffic('wl:default:reviews-v3')).toEqual({
      inboundRps: 4,
      outboundRps: 4,
      inboundErrorRate: 1,
      outboundErrorRate: 0,
    });
  });

  it('counts only the edges that cross a box', () => {
    const index = indexConfig(bookinfoConfig());
    const graph = nodeTraffic(
      edgeTraffic(boxApps(workingGraph(snapshot, { graphType: 'versionedApp' }), index)),
    );
    expect(graph.nodes.find((node) => node.id === 'box:default:reviews')?.traffic).toEqual({
      inboundRps: 8,
      outboundRps: 4,
      inboundErrorRate: 0.5,
      outboundErrorRate: 0,
    });
  });
});
