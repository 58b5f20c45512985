import type { ApiWarning } from '@/lib/types/api';

/** Partial failures: one line each, the page still shows what it has. */
export function WarningBanners({ warnings }: { warnings: readonly ApiWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="resilience-warnings" aria-label="Warnings">
      {warnings.map((warning) => (
        <li key={`${warning.source}:${warning.message}`} className="banner banner-warning">
          {warning.source}: {warning.message}
        </li>
      ))}
    </ul>
  );
}
