import Link from 'next/link';
import type { NamespaceMtls } from '@/lib/types/security';
import type { Column } from '../DataTable';
import { MtlsLock } from './MtlsLock';

/** Shown while the locks load. */
const PENDING = '…';

/**
 * The overview's "mTLS" column: a namespace's lock (STRICT, PERMISSIVE, DISABLE or MIXED over
 * its workloads), linked to the security page filtered to it. Rows need only a `name`.
 */
export function mtlsLockColumn<Row extends { name: string }>(
  locks: ReadonlyMap<string, NamespaceMtls> | undefined,
): Column<Row> {
  return {
    id: 'mtls',
    label: 'mTLS',
    value: (row) => locks?.get(row.name)?.status ?? PENDING,
    render: (row) => {
      const lock = locks?.get(row.name);
      if (!locks) return PENDING;
      if (!lock) return '–';
      return (
        <Link href={`/security?namespaces=${encodeURIComponent(row.name)}`}>
          <MtlsLock status={lock.status} compact />
          <span className="visually-hidden"> in {row.name}</span>
        </Link>
      );
    },
  };
}
