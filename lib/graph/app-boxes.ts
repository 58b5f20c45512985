/**
 * App boxes for the versioned-app graph, as Kiali draws them: the versions of an app, and the
 * service in front of them, grouped in a compound node `box:NAMESPACE:APP` (`isBox`, members'
 * `parent`). Like Kiali, an app is boxed only when the box would hold more than one node.
 */
import type { GraphNode } from '../types/graph';
import { type ConfigIndex, resolveHost } from './config-index';
import { type NodeIdentity, newNode, type WorkingGraph } from './model';
import { boxId } from './node-identity';

/** The app a node belongs to for boxing: its own, or for a service the app its selector picks. */
function appOf(node: GraphNode, index: ConfigIndex): string | undefined {
  if (node.kind === 'app' && node.version !== undefined) return node.app;
  if (node.kind !== 'service') return undefined;
  return index.service(resolveHost(node.name, node.namespace))?.selector.app;
}

export function boxApps(graph: WorkingGraph, index: ConfigIndex): WorkingGraph {
  if (graph.graphType !== 'versionedApp') return graph;
  const members = new Map<string, { identity: NodeIdentity; children: GraphNode[] }>();
  for (const node of graph.nodes) {
    const app = appOf(node, index);
    if (!app) continue;
    const id = boxId(node.namespace, app);
    const box = members.get(id);
    if (box) box.children.push(node);
    else
      members.set(id, {
        identity: { id, kind: 'app', namespace: node.namespace, name: app, app },
        children: [node],
      });
  }
  const boxes: GraphNode[] = [];
  for (const [id, box] of members) {
    if (box.children.length < 2) continue;
    for (const member of box.children) member.parent = id;
    const idle = box.children.every((node) => node.isIdle);
    const boxNode = newNode(box.identity, { isIdle: idle });
    boxNode.isBox = true;
    boxes.push(boxNode);
  }
  graph.nodes = [...boxes, ...graph.nodes];
  return graph;
}
