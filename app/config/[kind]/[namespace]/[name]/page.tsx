import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ConfigObjectView } from '@/components/config/ConfigObjectView';
import { parseObjectParams } from '@/lib/istio-config/params';
import { decodeSegment } from '@/lib/navigation-target';

type Params = { params: Promise<{ kind: string; namespace: string; name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { kind, namespace, name } = await params;
  return {
    title: `${decodeSegment(kind) ?? kind} ${decodeSegment(namespace) ?? namespace}/${decodeSegment(name) ?? name}`,
  };
}

/** One Istio object: YAML editor with findings, references both ways, safe saving. */
export default async function ConfigObjectPage({ params }: Params) {
  const raw = await params;
  const kind = decodeSegment(raw.kind);
  const namespace = decodeSegment(raw.namespace);
  const name = decodeSegment(raw.name);
  if (kind === undefined || namespace === undefined || name === undefined) notFound();
  const parsed = parseObjectParams({ kind, namespace, name });
  if (!parsed.ok) notFound();
  return (
    <>
      <h1>
        {parsed.kind} {parsed.namespace}/{parsed.name}
      </h1>
      <ConfigObjectView kind={parsed.kind} namespace={parsed.namespace} name={parsed.name} />
    </>
  );
}
