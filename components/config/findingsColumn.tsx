import Link from 'next/link';
import type { SeverityCounts } from '@/lib/types/config';
import type { Column } from '../DataTable';
import { FindingCounts, findingCountsText } from './FindingCounts';

/** Shown while the findings load. */
const PENDING = '…';

/**
 * The overview's "Config findings" column: a namespace's finding counts, linked to the config
 * page filtered to it. Rows need only a `name`.
 */
export function configFindingsColumn<Row extends { name: string }>(
  findings: ReadonlyMap<string, SeverityCounts> | undefined,
): Column<Row> {
  const empty: SeverityCounts = { error: 0, warning: 0, info: 0 };
  return {
    id: 'findings',
    label: 'Config findings',
    value: (row) => (findings ? findingCountsText(findings.get(row.name) ?? empty) : PENDING),
    render: (row) =>
      findings ? (
        <Link href={`/config?namespace=${encodeURIComponent(row.name)}`}>
          <FindingCounts counts={findings.get(row.name) ?? empty} />
          <span className="visually-hidden"> in {row.name}</span>
        </Link>
      ) : (
        PENDING
      ),
  };
}
