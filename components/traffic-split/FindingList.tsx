import type { Finding } from '@/lib/types/validation';

/** Configuration findings, worst first, in words; says so when there are none. */
export function FindingList({ findings, title }: { findings: readonly Finding[]; title: string }) {
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <section aria-label={title} data-testid="findings">
      <h3>{title}</h3>
      {sorted.length === 0 ? (
        <p className="muted">No findings: the configuration checks pass.</p>
      ) : (
        <ul className="finding-list">
          {sorted.map((finding) => (
            <li key={`${finding.code}:${finding.object.kind}:${finding.object.name}:${finding.path}`}>
              <span className={`badge badge-${finding.severity}`}>{finding.severity}</span>{' '}
              <span>
                {finding.object.kind} {finding.object.namespace}/{finding.object.name}
              </span>{' '}
              <code>{finding.path}</code>: {finding.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
