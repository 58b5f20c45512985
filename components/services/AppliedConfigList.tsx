import Link from 'next/link';
import { configObjectHref } from '@/lib/istio-config/kinds';
import type { AppliedConfigDetail } from '@/lib/types/services';
import { SeverityBadge } from '../config/SeverityBadge';

/** The Istio objects that apply to the service, why, and each one's findings, linking to their pages. */
export function AppliedConfigList({ config }: { config: readonly AppliedConfigDetail[] }) {
  if (config.length === 0) {
    return (
      <p className="muted" data-testid="applied-config-empty">
        No VirtualService, DestinationRule, Gateway or ServiceEntry applies to this service: its traffic uses
        Istio’s defaults (round robin over all pods, auto mTLS).
      </p>
    );
  }
  return (
    <ul className="applied-config" data-testid="applied-config">
      {config.map((object) => (
        <li key={`${object.kind}/${object.namespace}/${object.name}`}>
          <p>
            <span className="badge">{object.kind}</span>{' '}
            <Link href={configObjectHref(object)}>
              {object.namespace}/{object.name}
            </Link>{' '}
            <span className="muted">— {object.reason}</span>
          </p>
          {object.findings.length > 0 && (
            <ul aria-label={`Findings of ${object.kind} ${object.name}`}>
              {object.findings.map((finding) => (
                <li key={`${finding.code}:${finding.path}`}>
                  <SeverityBadge severity={finding.severity} /> {finding.message}{' '}
                  <span className="muted">
                    ({finding.istioCode ?? finding.code}, {finding.path})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
