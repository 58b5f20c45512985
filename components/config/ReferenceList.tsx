import Link from 'next/link';
import { configObjectHref, isIstioKind } from '@/lib/istio-config/kinds';
import type { ConfigReference } from '@/lib/types/config';

function Target({ reference }: { reference: ConfigReference }) {
  const name = reference.namespace ? `${reference.namespace}/${reference.name}` : reference.name;
  const text = `${reference.kind} ${name}`;
  if (!reference.resolved) return <span className="reference-unresolved">{text} (not found)</span>;
  return isIstioKind(reference.kind) ? (
    <Link href={configObjectHref(reference)}>{text}</Link>
  ) : (
    <span>{text}</span>
  );
}

function Entries({ references, empty }: { references: readonly ConfigReference[]; empty: string }) {
  if (references.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="reference-list">
      {references.map((reference) => (
        <li key={`${reference.kind}/${reference.namespace}/${reference.name}|${reference.path}`}>
          <Target reference={reference} /> <span className="muted">by {reference.via}</span>{' '}
          <code>{reference.path}</code>
        </li>
      ))}
    </ul>
  );
}

/** What the object names (hosts, subsets, gateways, selected workloads, credentials) and what names it. */
export function ReferenceList({
  references,
  referencedBy,
}: {
  references: readonly ConfigReference[];
  referencedBy: readonly ConfigReference[];
}) {
  return (
    <section aria-label="References" data-testid="references">
      <h2>References</h2>
      <Entries references={references} empty="It names no other object." />
      <h2>Referenced by</h2>
      <Entries references={referencedBy} empty="No Istio object names it." />
    </section>
  );
}
