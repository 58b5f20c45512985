'use client';

import { destinationLabel } from '@/lib/traffic-split/routes';
import type { HeaderRouteAddition, SubsetAddition } from '@/lib/types/traffic-split';

export interface PendingChangesProps {
  subsets: readonly SubsetAddition[];
  headerRoutes: readonly HeaderRouteAddition[];
  disabled: boolean;
  onRemoveSubset: (subset: SubsetAddition) => void;
  onRemoveHeaderRoute: (position: number) => void;
}

/** What the change adds besides weights, each removable before review. */
export function PendingChanges({
  subsets,
  headerRoutes,
  disabled,
  onRemoveSubset,
  onRemoveHeaderRoute,
}: PendingChangesProps) {
  if (subsets.length === 0 && headerRoutes.length === 0) return null;
  return (
    <section aria-labelledby="pending-heading" className="pending-changes" data-testid="pending-changes">
      <h2 id="pending-heading">Also in this change</h2>
      <ul>
        {subsets.map((subset) => (
          <li key={`subset:${subset.host}/${subset.name}`}>
            Add subset {subset.name} (
            {Object.entries(subset.labels)
              .map(([key, value]) => `${key}=${value}`)
              .join(', ')}
            ) for {subset.host}{' '}
            <button
              type="button"
              className="button-quiet"
              disabled={disabled}
              onClick={() => onRemoveSubset(subset)}
            >
              Remove
            </button>
          </li>
        ))}
        {headerRoutes.map((rule, position) => (
          <li key={`header:${rule.beforeIndex}:${rule.header}:${rule.value}`}>
            Header rule before HTTP route {rule.beforeIndex + 1}: requests with {rule.header}: {rule.value} go
            to {destinationLabel(rule.destination)}{' '}
            <button
              type="button"
              className="button-quiet"
              disabled={disabled}
              onClick={() => onRemoveHeaderRoute(position)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
