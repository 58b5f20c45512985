'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { apiFetch } from '@/lib/api-fetch';
import { queryKeys } from '@/lib/query-keys';
import type { MtlsResponse } from '@/lib/types/security';
import { MtlsLock } from './security/MtlsLock';
import './security/security.css';

/** How often the header asks again, in milliseconds (the overview shares the same query). */
export const MESH_LOCK_POLL_MS = 30_000;

/** The mesh-wide effective mTLS lock, for the header and the overview (one shared query). */
export function useMeshMtls() {
  return useQuery({
    queryKey: queryKeys.security.locks(),
    // Configuration only: the locks need no telemetry, which on a large mesh costs seconds to read.
    queryFn: ({ signal }) => apiFetch<MtlsResponse>('/api/security/mtls?observed=false', { signal }),
    refetchInterval: MESH_LOCK_POLL_MS,
  });
}

/**
 * The mesh's mTLS lock in the header: STRICT everywhere, PERMISSIVE, DISABLE or MIXED across the
 * namespaces, linked to the security page. Says nothing rather than guess when it cannot read.
 */
export function MeshLockIndicator() {
  const query = useMeshMtls();
  const status = query.data?.mesh.status;
  if (!status) return null;
  return (
    <Link
      href="/security"
      className="mesh-lock-indicator"
      data-testid="mesh-lock-indicator"
      title="Mesh mTLS"
    >
      <span className="visually-hidden">Mesh mTLS: </span>
      <span aria-hidden="true">mTLS </span>
      <MtlsLock status={status} compact />
    </Link>
  );
}
