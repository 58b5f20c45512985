import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ConfigObjectView } from '@/components/config/ConfigObjectView';
import { parseObjectParams } from '@/lib/istio-config/params';

type Params = { params: Promise<{ kind: string; namespace: string; name: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { kind, namespace, name } = await params;
  return {
    title: `${decodeURIComponent(kind)} ${decodeURIComponent(namespace)}/${decodeURIComponent(name)}`,
  };
}

/** One Istio object: YAML editor with findings, references both ways, safe saving. */
export default async function ConfigObjectPage({ params }: Params) {
  const raw = await params;
  const parsed = parseObjectParams({
    kind: decodeURIComponent(raw.kind),
    namespace: decodeURIComponent(raw.namespace),
    name: decodeURIComponent(raw.name),
  });
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
