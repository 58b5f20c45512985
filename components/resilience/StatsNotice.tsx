import type { StatsStatus } from '@/lib/types/resilience';

/** When callers' proxies do not emit the outlier stats: which, and the annotation that turns them on. */
export function StatsNotice({ stats }: { stats: StatsStatus }) {
  if (stats.enabled) return null;
  return (
    <section
      className="resilience-section banner-warning"
      aria-labelledby="stats-title"
      data-testid="stats-notice"
    >
      <h2 id="stats-title">Outlier statistics are off on some callers</h2>
      <p>{stats.advice}</p>
      {stats.missing.length > 0 && (
        <p>
          Without them:{' '}
          {stats.missing.map((workload) => `${workload.namespace}/${workload.workload}`).join(', ')}.
        </p>
      )}
      <p>Add this annotation to the pod template of those workloads:</p>
      <pre className="resilience-annotation" data-testid="stats-annotation">
        {`${stats.annotation.name}: |\n${stats.annotation.value
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n')}`}
      </pre>
    </section>
  );
}
