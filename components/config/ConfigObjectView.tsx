'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ApiError, apiFetch } from '@/lib/api-fetch';
import { configObjectApiPath } from '@/lib/istio-config/kinds';
import { queryKeys } from '@/lib/query-keys';
import { trafficSplitHref } from '@/lib/traffic-split/href';
import type { ConfigObjectResponse, ConfigSchemaResponse } from '@/lib/types/config';
import type { IstioKind } from '@/lib/types/mesh-config';
import { ErrorBanner } from '../ErrorBanner';
import { CONFIG_REFRESH_MS } from './ConfigExplorer';
import { ObjectEditor } from './ObjectEditor';
import { ReferenceList } from './ReferenceList';
import { WarningList } from './WarningList';

const asApiError = (error: Error) =>
  error instanceof ApiError ? error : new ApiError(0, 'internal', error.message);

/** One Istio object: its YAML in the editor with findings, what it references and what references it. */
export function ConfigObjectView({
  kind,
  namespace,
  name,
}: {
  kind: IstioKind;
  namespace: string;
  name: string;
}) {
  const object = useQuery({
    queryKey: queryKeys.config.object(kind, namespace, name),
    queryFn: ({ signal }) =>
      apiFetch<ConfigObjectResponse>(configObjectApiPath({ kind, namespace, name }), { signal }),
    refetchInterval: CONFIG_REFRESH_MS,
  });
  const apiVersion = typeof object.data?.object.apiVersion === 'string' ? object.data.object.apiVersion : '';
  const schema = useQuery({
    queryKey: queryKeys.config.schema(kind, apiVersion),
    queryFn: ({ signal }) =>
      apiFetch<ConfigSchemaResponse>(`/api/schemas/${kind}?apiVersion=${encodeURIComponent(apiVersion)}`, {
        signal,
      }),
    enabled: apiVersion !== '',
    staleTime: 5 * 60_000,
  });
  const { data } = object;
  return (
    <>
      <p>
        <Link href={`/config?namespace=${encodeURIComponent(namespace)}`}>Istio config</Link> / {kind}
      </p>
      {object.error && (
        <ErrorBanner
          error={asApiError(object.error)}
          staleSince={data ? object.dataUpdatedAt : undefined}
          retrying={object.isFetching}
          onRetry={() => void object.refetch()}
        />
      )}
      {object.isPending && (
        <p role="status" className="muted">
          Loading {kind} {namespace}/{name}…
        </p>
      )}
      {data && (
        <>
          <WarningList warnings={data.warnings} />
          <p className="config-object-header">
            <span>resourceVersion {data.resourceVersion}</span>
            {data.access.editable ? (
              <span className="muted">Only spec, labels and annotations are saved.</span>
            ) : (
              <span className="banner banner-warning" data-testid="read-only-reason">
                Read-only: {data.access.reason}
              </span>
            )}
            {schema.error && <span className="muted">No schema completion: {schema.error.message}</span>}
            {kind === 'VirtualService' && (
              <Link href={trafficSplitHref(namespace, name)}>Edit weights in the traffic-split editor</Link>
            )}
          </p>
          <div className="config-object-layout">
            <div>
              <ObjectEditor data={data} schema={schema.data?.schema} />
            </div>
            <ReferenceList references={data.references} referencedBy={data.referencedBy} />
          </div>
        </>
      )}
    </>
  );
}
