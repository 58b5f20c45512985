import 'server-only';
import type { V1Namespace } from '@kubernetes/client-node';
import { sidecarInjectionFromLabels } from '@/lib/namespaces/injection';
import type { NamespacePhase, NamespaceSummary } from '@/lib/types/namespace';
import { getCluster } from './kube/cluster';

/** Objects per list page; namespaces are few, but a page bound keeps big clusters cheap. */
const PAGE_SIZE = 500;

function phaseOf(namespace: V1Namespace): NamespacePhase {
  const phase = namespace.status?.phase;
  return phase === 'Active' || phase === 'Terminating' ? phase : 'Unknown';
}

export function toNamespaceSummary(namespace: V1Namespace): NamespaceSummary {
  const labels = namespace.metadata?.labels ?? {};
  const created = namespace.metadata?.creationTimestamp;
  return {
    name: namespace.metadata?.name ?? '',
    phase: phaseOf(namespace),
    createdAt: created ? new Date(created).toISOString() : null,
    injection: sidecarInjectionFromLabels(labels),
    labels,
  };
}

/** Every namespace the dashboard's identity may list, sorted by name. */
export async function listNamespaces(): Promise<NamespaceSummary[]> {
  const cluster = getCluster();
  const summaries: NamespaceSummary[] = [];
  let continueToken: string | undefined;
  do {
    const page = await cluster.call(() =>
      cluster.core.listNamespace({ limit: PAGE_SIZE, _continue: continueToken }),
    );
    summaries.push(...page.items.map(toNamespaceSummary));
    continueToken = page.metadata?._continue || undefined;
  } while (continueToken !== undefined);
  return summaries.sort((a, b) => a.name.localeCompare(b.name));
}
