/**
 * Step (e), throughput per edge: bytes per second each way (HTTP request and response bodies, TCP
 * sent and received), summed over the samples behind the edge; null when there are none.
 */
import type { WorkingGraph } from './model';

export function throughput(graph: WorkingGraph): WorkingGraph {
  return {
    ...graph,
    edges: graph.edges.map((edge) => {
      const samples = edge.records.throughput;
      if (samples.length === 0) return { ...edge, throughput: null };
      return {
        ...edge,
        throughput: {
          sentBytesPerSecond: samples.reduce((sum, sample) => sum + sample.sentBytesPerSecond, 0),
          receivedBytesPerSecond: samples.reduce((sum, sample) => sum + sample.receivedBytesPerSecond, 0),
        },
      };
    }),
  };
}
