/**
 * Step (e), throughput per edge: bytes per second each way (HTTP request and response bodies, TCP
 * sent and received), summed over the samples behind the edge; null when there are none.
 */
import type { WorkingGraph } from './model';

export function throughput(graph: WorkingGraph): WorkingGraph {
  for (const edge of graph.edges) {
    const samples = edge.records.throughput;
    if (samples.length === 0) {
      edge.throughput = null;
      continue;
    }
    let sentBytesPerSecond = 0;
    let receivedBytesPerSecond = 0;
    for (const sample of samples) {
      sentBytesPerSecond += sample.sentBytesPerSecond;
      receivedBytesPerSecond += sample.receivedBytesPerSecond;
    }
    edge.throughput = { sentBytesPerSecond, receivedBytesPerSecond };
  }
  return graph;
}
