import type { ApiWarning } from '@/lib/types/api';

/** Partial failures of a response, one banner line each (deduplicated). */
export function WarningList({ warnings }: { warnings: readonly ApiWarning[] }) {
  const unique = [
    ...new Map(warnings.map((warning) => [`${warning.source}:${warning.message}`, warning])).values(),
  ];
  return (
    <>
      {unique.map((warning) => (
        <p key={`${warning.source}:${warning.message}`} role="status" className="banner banner-warning">
          {warning.source}: {warning.message}
        </p>
      ))}
    </>
  );
}
