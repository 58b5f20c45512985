'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useMemo, useRef, useState } from 'react';
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
  /**
   * Draw only the rows in view once there are more than `threshold` (thousands of graph nodes):
   * the table scrolls inside a box `maxHeight` pixels high, rows are about `rowHeight` high, and
   * the arrow keys still walk every row (the one they reach is scrolled into view first).
   */
  virtual?: { threshold: number; rowHeight: number; maxHeight: number };
}

/** The room of the rows not drawn, above or below the drawn ones (no content, no focus). */
function Spacer({ height, columns }: { height: number; columns: number }) {
  return (
    <tr className="virtual-spacer">
      <td colSpan={columns} aria-hidden="true" style={{ height, padding: 0, border: 0 }} />
    </tr>
  );
}

/** Rows drawn beyond the visible ones, so arrow keys and short scrolls find rows ready. */
const OVERSCAN_ROWS = 12;

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
  virtual,
}: SortableTableProps<Row>) {
  const [sort, setSort] = useState<SortState>(initialSort);
  const scrollRef = useRef<HTMLDivElement>(null);
  const sorted = useMemo(() => {
    const column = columns.find((candidate) => candidate.id === sort.columnId);
    if (!column) return rows;
    const factor = sort.direction === 'ascending' ? 1 : -1;
    return [...rows].sort((a, b) => factor * compare(column.value(a), column.value(b)));
  }, [rows, columns, sort]);

  const windowed = virtual !== undefined && sorted.length > virtual.threshold;
  const virtualizer = useVirtualizer({
    count: windowed ? sorted.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => virtual?.rowHeight ?? 32,
    overscan: OVERSCAN_ROWS,
  });

  /** Arrow keys over a windowed body: scroll the target row into view, then focus its control. */
  const handleWindowedKeys = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const row = (event.target as HTMLElement).closest('tr');
    const index = Number(row?.dataset.index);
    if (!Number.isInteger(index)) return;
    const target = index + (event.key === 'ArrowDown' ? 1 : -1);
    if (target < 0 || target >= sorted.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(target, { align: 'auto' });
    const focusTarget = () =>
      scrollRef.current
        ?.querySelector<HTMLElement>(`tr[data-index="${target}"]`)
        ?.querySelector<HTMLElement>('button, a, input')
        ?.focus();
    focusTarget();
    // A row outside the drawn window appears on the next frame.
    requestAnimationFrame(focusTarget);
  };

  const renderRow = (row: Row, index: number) => {
    const state = rowState?.(row) ?? {};
    return (
      <tr
        key={rowKey(row)}
        data-testid={rowTestId}
        data-row-key={rowKey(row)}
        data-index={windowed ? index : undefined}
        aria-rowindex={windowed ? index + 2 : undefined}
        ref={windowed ? virtualizer.measureElement : undefined}
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
  };

  const handleSort = (columnId: string) => {
    setSort((current) =>
      current.columnId === columnId
        ? { columnId, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { columnId, direction: 'ascending' },
    );
  };

  const items = windowed ? virtualizer.getVirtualItems() : [];
  const before = items[0]?.start ?? 0;
  const after = windowed ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const table = (
    <table
      className="data-table sortable-table"
      data-testid={testId}
      aria-rowcount={windowed ? sorted.length + 1 : undefined}
    >
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
      {windowed ? (
        <tbody onKeyDown={handleWindowedKeys}>
          {before > 0 && <Spacer height={before} columns={columns.length} />}
          {items.map((item) => {
            const row = sorted[item.index];
            return row === undefined ? null : renderRow(row, item.index);
          })}
          {after > 0 && <Spacer height={after} columns={columns.length} />}
        </tbody>
      ) : (
        <tbody onKeyDown={handleRowKeys}>{sorted.map((row, index) => renderRow(row, index))}</tbody>
      )}
    </table>
  );
  if (!virtual) return table;
  // The wrapper stays whether or not the rows are windowed, so a table growing past the threshold
  // keeps its element (and focus) rather than being re-created.
  return (
    <div
      ref={scrollRef}
      className="table-scroll"
      style={windowed ? { maxHeight: virtual.maxHeight, overflowY: 'auto' } : undefined}
    >
      {table}
    </div>
  );
}
