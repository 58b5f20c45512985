import { describe, expect, it } from 'vitest';
import { bytes, request, telemetry, workingGraph } from './fixtures/builders';
import { throughput } from './throughput';

describe('throughput', () => {
  it('sums bytes per second each way, null where none were seen', () => {
    const graph = throughput(
      workingGraph(
        telemetry({
          requests: [
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 5,
            }),
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v3',
              rate: 5,
            }),
            request({ from: 'default/reviews-v3', service: 'ratings', to: 'default/ratings-v1', rate: 5 }),
          ],
          throughput: [
            bytes({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              sent: 100,
              received: 1000,
            }),
            bytes({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v3',
              sent: 50,
              received: 500,
            }),
          ],
        }),
      ),
    );
    const by = (id: string) => graph.edges.find((edge) => edge.id === id)?.throughput;
    expect(by('wl:default:productpage-v1->svc:default:reviews:http')).toEqual({
      sentBytesPerSecond: 150,
      receivedBytesPerSecond: 1500,
    });
    expect(by('svc:default:reviews->wl:default:reviews-v3:http')).toEqual({
      sentBytesPerSecond: 50,
      receivedBytesPerSecond: 500,
    });
    expect(by('wl:default:reviews-v3->svc:default:ratings:http')).toBeNull();
  });
});
