'use client';

import { useState } from 'react';
import type { StatsStatus } from '@/lib/types/resilience';

/** When callers' proxies do not emit the outlier stats: which, and the annotation that turns them on. */
export function StatsNotice({ stats }: { stats: StatsStatus }) {
  const [copied, setCopied] = useState(false);
  if (stats.enabled) return null;
  const snippet = `metadata:\n  annotations:\n    ${stats.annotation.name}: '${stats.annotation.value}'`;
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
      <p>Add this annotation to the pod template (spec.template) of those workloads:</p>
      <pre className="resilience-annotation" data-testid="stats-annotation">
        {snippet}
      </pre>
      <button
        type="button"
        className="button-quiet"
        onClick={() => {
          void navigator.clipboard?.writeText(snippet).then(() => setCopied(true));
        }}
      >
        {copied ? 'Copied' : 'Copy the annotation'}
      </button>
    </section>
  );
}
