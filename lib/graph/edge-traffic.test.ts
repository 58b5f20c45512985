import { describe, expect, it } from 'vitest';
import { codeRecord, edgeTraffic } from './edge-traffic';
import { bytes, request, telemetry, workingGraph } from './fixtures/builders';
import { loadFixture } from './fixtures/load';
import type { WorkingGraph } from './model';

const edge = (graph: WorkingGraph, id: string) => graph.edges.find((candidate) => candidate.id === id);

describe('edgeTraffic', () => {
  it('splits a canary service about 50/50 between v1 and v3, summing to 100', () => {
    const fixture = loadFixture('bookinfo');
    const graph = edgeTraffic(workingGraph(fixture.telemetry, { config: fixture.config }));
    const v1 = edge(graph, 'svc:default:reviews->wl:default:reviews-v1:http');
    const v3 = edge(graph, 'svc:default:reviews->wl:default:reviews-v3:http');
    expect(v1?.percentOfSource).toBeGreaterThan(40);
    expect(v3?.percentOfSource).toBeGreaterThan(40);
    expect((v1?.percentOfSource ?? 0) + (v3?.percentOfSource ?? 0)).toBeCloseTo(100, 6);
    expect((v1?.rps ?? 0) + (v3?.rps ?? 0)).toBeCloseTo(10, 6);
    expect(v1).toMatchObject({ mtlsPercent: 100, errorRate: 0 });
    expect(v1?.sourcePrincipals).toEqual(['spiffe://cluster.local/ns/default/sa/bookinfo-productpage']);
    expect(v1?.destinationPrincipals).toEqual(['spiffe://cluster.local/ns/default/sa/bookinfo-reviews']);
  });

  it('counts 5xx and no response as errors, keeps 4xx and flags visible in rps', () => {
    const graph = edgeTraffic(
      workingGraph(
        telemetry({
          requests: [
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 6,
            }),
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 1,
              code: '503',
            }),
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'default/reviews-v1',
              rate: 2,
              code: '404',
            }),
            request({
              from: 'default/productpage-v1',
              service: 'reviews',
              to: 'unknown',
              rate: 1,
              code: '0',
              flags: 'UO',
              reporter: 'source',
            }),
          ],
        }),
      ),
    );
    const toService = edge(graph, 'wl:default:productpage-v1->svc:default:reviews:http');
    expect(toService).toMatchObject({
      rps: 10,
      errorRate: 0.2,
      responseCodes: { '200': 6, '503': 1, '404': 2, '0': 1 },
      responseFlags: { UO: 1 },
    });
    // mTLS is the share of what destinations reported: the overflow never reached one.
    expect(toService?.mtlsPercent).toBe(100);
    const toWorkload = edge(graph, 'svc:default:reviews->wl:default:reviews-v1:http');
    expect(toWorkload?.errorRate).toBeCloseTo(1 / 9, 10);
  });

  it('reads mTLS as the mutual_tls share of destination-reported requests', () => {
    const graph = edgeTraffic(
      workingGraph(
        telemetry({
          requests: [
            request({
              from: 'unknown',
              service: 'ratings',
              to: 'default/ratings-v1',
              rate: 1,
              security: 'none',
              code: '403',
            }),
            request({ from: 'default/reviews-v3', service: 'ratings', to: 'default/ratings-v1', rate: 3 }),
          ],
        }),
      ),
    );
    expect(edge(graph, 'svc:default:ratings->wl:default:ratings-v1:http')?.mtlsPercent).toBe(75);
    expect(edge(graph, 'unknown->svc:default:ratings:http')).toMatchObject({
      mtlsPercent: 0,
      sourcePrincipals: [],
    });
  });

  it('shares TCP by bytes and does not mix protocols', () => {
    const graph = edgeTraffic(
      workingGraph(
        telemetry({
          requests: [
            request({ from: 'default/reviews-v1', service: 'ratings', to: 'default/ratings-v1', rate: 2 }),
          ],
          throughput: [
            bytes({
              from: 'default/reviews-v1',
              service: 'mongodb',
              to: 'default/mongodb-v1',
              sent: 100,
              received: 300,
              protocol: 'tcp',
            }),
            bytes({
              from: 'default/reviews-v1',
              service: 'mysql',
              to: 'default/mysql-v1',
              sent: 100,
              received: 100,
              protocol: 'tcp',
            }),
          ],
        }),
      ),
    );
    expect(edge(graph, 'wl:default:reviews-v1->svc:default:ratings:http')?.percentOfSource).toBe(100);
    expect(edge(graph, 'wl:default:reviews-v1->svc:default:mongodb:tcp')).toMatchObject({
      rps: 0,
      percentOfSource: (400 / 600) * 100,
    });
  });
});

describe('codeRecord', () => {
  it('reads, lists and serialises like a plain record', () => {
    const record = codeRecord();
    record['503'] = 1;
    record['200'] = 2.5;
    record['0'] = 0.5;
    expect(Object.keys(record)).toEqual(['0', '200', '503']);
    expect(JSON.stringify(record)).toBe('{"0":0.5,"200":2.5,"503":1}');
    expect(record).toEqual({ '0': 0.5, '200': 2.5, '503': 1 });
    expect(JSON.stringify(codeRecord())).toBe('{}');
  });
});
