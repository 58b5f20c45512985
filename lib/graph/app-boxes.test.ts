import { describe, expect, it } from 'vitest';
import { boxApps } from './app-boxes';
import { indexConfig } from './config-index';
import { bookinfoConfig } from './fixtures/builders';
import { newNode, type WorkingGraph } from './model';

const index = indexConfig(bookinfoConfig());
const vapp = (app: string, version: string, isIdle = false) =>
  newNode(
    { id: `vapp:default:${app}:${version}`, kind: 'app', namespace: 'default', name: app, app, version },
    { isIdle },
  );
const svc = (name: string) =>
  newNode({ id: `svc:default:${name}`, kind: 'service', namespace: 'default', name, service: name });

describe('boxApps', () => {
  const graph: WorkingGraph = {
    graphType: 'versionedApp',
    nodes: [
      svc('reviews'),
      vapp('reviews', 'v1'),
      vapp('reviews', 'v2', true),
      vapp('ratings', 'v1'),
      svc('other'),
    ],
    edges: [],
  };

  it("boxes an app's versions with the service that selects them", () => {
    const boxed = boxApps(graph, index);
    const box = boxed.nodes.find((node) => node.id === 'box:default:reviews');
    expect(box).toMatchObject({ isBox: true, kind: 'app', name: 'reviews', app: 'reviews' });
    expect(box?.isIdle).toBeUndefined();
    const parents = Object.fromEntries(boxed.nodes.map((node) => [node.id, node.parent]));
    expect(parents).toMatchObject({
      'svc:default:reviews': 'box:default:reviews',
      'vapp:default:reviews:v1': 'box:default:reviews',
      'vapp:default:reviews:v2': 'box:default:reviews',
    });
  });

  it('does not box a lone member, as Kiali does not', () => {
    const boxed = boxApps(graph, index);
    expect(boxed.nodes.find((node) => node.id === 'box:default:ratings')).toBeUndefined();
    expect(boxed.nodes.find((node) => node.id === 'vapp:default:ratings:v1')?.parent).toBeUndefined();
  });

  it('puts boxes first and leaves other graph types alone', () => {
    expect(boxApps(graph, index).nodes[0]?.isBox).toBe(true);
    const workloadGraph = { ...graph, graphType: 'workload' as const };
    expect(boxApps(workloadGraph, index)).toBe(workloadGraph);
  });
});
