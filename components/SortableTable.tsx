'use client';

import { type KeyboardEvent, useMemo, useState } from 'react';
import type { Column } from './DataTable';

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  columnId: string;
  direction: SortDirection;
}

export interface RowState {
  /** the row is the current selection */
  selected?: boolean;
  /** the row matches the find expression */
  highlighted?: boolean;
}

export interface SortableTableProps<Row> {
  /** Accessible name of the table, also shown as its caption. */
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  initialSort: SortState;
  testId?: string;
  /** `data-testid` of every body row */
  rowTestId?: string;
  rowState?: (row: Row) => RowState;
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/** Moves focus to the first control of the row above or below: arrow keys walk the table. */
function handleRowKeys(event: KeyboardEvent<HTMLTableSectionElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const row = (event.target as HTMLElement).closest('tr');
  const next = event.key === 'ArrowDown' ? row?.nextElementSibling : row?.previousElementSibling;
  const control = next?.querySelector<HTMLElement>('button, a, input');
  if (control) {
    event.preventDefault();
    control.focus();
  }
}

/**
 * A DataTable whose column headers sort (click or Enter/Space on the header's button, `aria-sort`
 * says the order) and whose rows are walked with the arrow keys.
 */
export function SortableTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  initialSort,
  testId,
  rowTestId,
  rowState,
}: SortableTableProps<Row>) {
  const [sort, setSort] = useState<SortState>(initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((candidate) => candidate.id === sort.columnId);
    if (!column) return rows;
    const factor = sort.direction === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => factor * compare(column.value(a), column.value(b)));
  }, [rows, columns, sort]);

  const handleSort = (columnId: string) => {
    setSort((current) =>
      current.columnId === columnId
        ? { columnId, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { columnId, direction: 'ascending' },
    );
  };

  return (
    <table className="data-table sortable-table" data-testid={testId}>
      <caption>{label}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th
              key={column.id}
              scope="col"
              aria-sort={sort.columnId === column.id ? sort.direction : undefined}
              data-column={column.id}
            >
              <button type="button" className="sort-button" onClick={() => handleSort(column.id)}>
                {column.label}
                <span aria-hidden="true" className="sort-indicator">
                  {sort.columnId === column.id ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                </span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody onKeyDown={handleRowKeys}>
        {sorted.map((row) => {
          const state = rowState?.(row) ?? {};
          return (
            <tr
              key={rowKey(row)}
              data-testid={rowTestId}
              data-row-key={rowKey(row)}
              aria-current={state.selected ? true : undefined}
              data-highlighted={state.highlighted ? 'true' : undefined}
              className={[state.selected ? 'row-selected' : '', state.highlighted ? 'row-highlighted' : '']
                .join(' ')
                .trim()}
            >
              {columns.map((column) => {
                const content = column.render ? column.render(row) : column.value(row);
                return column.isRowHeader ? (
                  <th key={column.id} scope="row" data-column={column.id}>
                    {content}
                  </th>
                ) : (
                  <td key={column.id} data-column={column.id}>
                    {content}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
