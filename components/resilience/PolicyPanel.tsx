import type { AppliedDestinationRule } from '@/lib/types/resilience';

const FROM_WORDS: Record<string, string> = {
  'subset-port': "the subset's port setting",
  subset: 'the subset',
  port: 'the port setting',
  'top-level': 'the top level',
  default: "Istio's defaults",
};

/** The DestinationRule traffic policy that applies, per cluster (whole service and each subset), in words. */
export function PolicyPanel({ policies }: { policies: readonly AppliedDestinationRule[] }) {
  return (
    <section className="resilience-section" aria-labelledby="policy-title" data-testid="policy-panel">
      <h2 id="policy-title">Traffic policy that applies</h2>
      {policies.map((applied) => (
        <div key={applied.rule ? `${applied.rule.namespace}/${applied.rule.name}` : 'none'}>
          <p>
            {applied.rule
              ? `DestinationRule ${applied.rule.namespace}/${applied.rule.name} (host ${applied.rule.host})`
              : 'No DestinationRule: Istio’s defaults apply (no outlier detection, no pool limits).'}
            {applied.callerNamespaces.length > 0
              ? `, for callers in ${applied.callerNamespaces.join(', ')}`
              : ''}
            {applied.workloadSelector
              ? `, only for callers labelled ${JSON.stringify(applied.workloadSelector)}`
              : ''}
            .
          </p>
          {applied.clusters.map((cluster) => (
            <details key={cluster.cluster} open={cluster.subset === null}>
              <summary>
                {cluster.subset === null ? 'Whole service' : `Subset ${cluster.subset}`} · port {cluster.port}{' '}
                · {cluster.pods.length} pod{cluster.pods.length === 1 ? '' : 's'} · outlier detection from{' '}
                {FROM_WORDS[cluster.outlierDetection.from]}, pool from{' '}
                {FROM_WORDS[cluster.connectionPool.from]}
              </summary>
              <ul>
                {cluster.explanation.map((sentence) => (
                  <li key={sentence}>{sentence}</li>
                ))}
              </ul>
              {cluster.guidance.length > 0 && (
                <ul aria-label="Guidance">
                  {cluster.guidance.map((entry) => (
                    <li key={`${entry.field}:${entry.message}`} className={`guidance-${entry.severity}`}>
                      <code>{entry.field}</code>: {entry.message}
                    </li>
                  ))}
                </ul>
              )}
            </details>
          ))}
        </div>
      ))}
    </section>
  );
}
