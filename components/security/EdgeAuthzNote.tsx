import Link from 'next/link';
import { formatRps } from '@/lib/format/traffic';
import type { EdgeAuthz } from '@/lib/types/security';

/** On a graph edge with denied (403) requests: what configuration decides, linked to the what-if page. */
export function EdgeAuthzNote({ authz }: { authz: EdgeAuthz }) {
  const denies = authz.decision === 'DENY';
  return (
    <section
      aria-label="Authorization"
      className={`banner ${denies ? 'banner-error' : 'banner-warning'}`}
      data-testid="edge-authz"
    >
      <p className="banner-title">
        {formatRps(authz.deniedRps)} req/s denied (403)
        {denies && authz.policy
          ? ` by ${authz.policy.kind} ${authz.policy.namespace}/${authz.policy.name}${authz.rule !== undefined ? `, rule ${authz.rule}` : ''}`
          : ''}
      </p>
      <p>{authz.reason}</p>
      <p>
        <Link href="/security?tab=whatif">Check other requests on the security page</Link>
      </p>
    </section>
  );
}
