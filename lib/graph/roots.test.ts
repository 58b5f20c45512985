import { describe, expect, it } from 'vitest';
import { newEdge, newNode, type WorkingGraph } from './model';
import { markRoots } from './roots';

const node = (id: string, extra: { isBox?: boolean } = {}) => ({
  ...newNode({ id, kind: 'workload', namespace: 'default', name: id }),
  ...extra,
});

describe('markRoots', () => {
  it('marks nodes that send traffic and receive none', () => {
    const graph: WorkingGraph = {
      graphType: 'workload',
      nodes: [node('gateway'), node('svc'), node('app'), node('idle-caller'), node('box', { isBox: true })],
      edges: [
        newEdge('gateway', 'svc', 'http'),
        newEdge('svc', 'app', 'http'),
        newEdge('idle-caller', 'svc', 'http', { isIdle: true }),
      ],
    };
    const roots = markRoots(graph)
      .nodes.filter((candidate) => candidate.isRoot)
      .map((candidate) => candidate.id);
    expect(roots).toEqual(['gateway']);
  });

  it('does not keep a stale root flag', () => {
    const graph: WorkingGraph = {
      graphType: 'workload',
      nodes: [{ ...node('a'), isRoot: true }, node('b')],
      edges: [newEdge('b', 'a', 'http')],
    };
    expect(markRoots(graph).nodes.map((candidate) => candidate.isRoot)).toEqual([undefined, true]);
  });
});
