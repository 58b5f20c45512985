import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/build-graph';
import { loadFixture } from '../graph/fixtures/load';
import type { IstioObject } from '../types/mesh-config';
import type { Finding } from '../types/validation';
import { validate } from '../validation';
import { findingsByGraphNode } from './graph-findings';

function finding(object: Finding['object'], path: string, severity: Finding['severity'] = 'error'): Finding {
  return { code: 'test', severity, object, path, message: 'test' };
}

const brokenRoute: IstioObject = {
  kind: 'VirtualService',
  apiVersion: 'networking.istio.io/v1',
  namespace: 'default',
  name: 'details-broken',
  resourceVersion: '1',
  labels: {},
  annotations: {},
  spec: {
    hosts: ['details.example.internal'],
    http: [{ route: [{ destination: { host: 'details', subset: 'v9' } }] }],
  },
};

function bookinfo(graphType: 'versionedApp' | 'workload' = 'versionedApp') {
  const fixture = loadFixture('bookinfo');
  fixture.config.istio.push(brokenRoute);
  const { nodes } = buildGraph({
    graphType,
    namespaces: fixture.namespaces,
    config: fixture.config,
    telemetry: fixture.telemetry,
    idle: true,
  });
  return { nodes, config: fixture.config };
}

describe('findingsByGraphNode', () => {
  it('puts a broken route destination on the destination service’s node, from the real checks', () => {
    const { nodes, config } = bookinfo();
    const findings = validate(config).filter((item) => item.object.name === 'details-broken');
    expect(findings.map((item) => item.code)).toContain('vs.destination.subset-not-found');
    const marked = findingsByGraphNode(nodes, findings, config);
    expect([...marked.keys()]).toEqual(['svc:default:details']);
    expect(marked.get('svc:default:details')).toMatchObject({
      severity: 'error',
      objects: [{ kind: 'VirtualService', namespace: 'default', name: 'details-broken' }],
    });
  });

  it('marks the workloads behind a service when the graph has no service node for it', () => {
    const { nodes, config } = bookinfo('workload');
    const withoutServices = nodes.filter((node) => node.kind !== 'service');
    const marked = findingsByGraphNode(
      withoutServices,
      [
        finding(
          { kind: 'DestinationRule', namespace: 'default', name: 'reviews' },
          'spec.subsets[0]',
          'warning',
        ),
      ],
      config,
    );
    expect([...marked.keys()].sort()).toEqual([
      'wl:default:reviews-v1',
      'wl:default:reviews-v2',
      'wl:default:reviews-v3',
    ]);
    expect(marked.get('wl:default:reviews-v1')).toMatchObject({ warning: 1, error: 0, severity: 'warning' });
  });

  it('marks the workload of a pod, whatever the graph type, and nothing for a namespace', () => {
    const { nodes, config } = bookinfo();
    const pod = config.pods.find((item) => item.workload === 'ratings-v1');
    if (!pod) throw new Error('bookinfo has no ratings pod');
    const marked = findingsByGraphNode(
      nodes,
      [
        finding({ kind: 'Pod', namespace: 'default', name: pod.name }, 'spec', 'info'),
        finding({ kind: 'Namespace', namespace: '', name: 'default' }, 'metadata.labels'),
      ],
      config,
    );
    expect([...marked.keys()]).toEqual(['vapp:default:ratings:v1']);
  });
});
