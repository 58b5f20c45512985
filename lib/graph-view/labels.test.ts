import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../types/graph';
import { mtlsLevel, nodeTitle } from './labels';

const reviewsV3: GraphNode = {
  id: 'app:default:reviews:v3',
  kind: 'app',
  namespace: 'default',
  name: 'reviews',
  app: 'reviews',
  version: 'v3',
  badges: ['virtualService', 'circuitBreaker'],
  health: { status: 'healthy', errorRate: 0 },
  traffic: { inboundRps: 1, outboundRps: 1, inboundErrorRate: 0, outboundErrorRate: 0 },
};

const edge: GraphEdge = {
  id: 'e',
  source: 'a',
  target: 'b',
  protocol: 'http',
  rps: 2.5,
  percentOfSource: 49.5,
  errorRate: 0,
  responseTime: { p50: 3, p95: 12.34, p99: 40 },
  throughput: null,
  mtlsPercent: 100,
  responseCodes: { '200': 2.5 },
  responseFlags: {},
  sourcePrincipals: [],
  destinationPrincipals: [],
  health: 'healthy',
};

describe('labels', () => {
  it('names versioned app nodes by app and version', () => {
    expect(nodeTitle(reviewsV3)).toBe('reviews v3');
    expect(nodeTitle({ ...reviewsV3, kind: 'service', version: undefined })).toBe('reviews');
  });

  it('grades mTLS coverage', () => {
    expect(mtlsLevel(edge)).toBe('full');
    expect(mtlsLevel({ ...edge, mtlsPercent: 40 })).toBe('partial');
    expect(mtlsLevel({ ...edge, mtlsPercent: 0 })).toBe('none');
  });
});
