import type { ReactNode } from 'react';

/** One column of a DataTable: how to read a row's value and, optionally, how to show it. */
export interface Column<Row> {
  id: string;
  label: string;
  value: (row: Row) => string | number;
  render?: (row: Row) => ReactNode;
  /** The column that names the row (a `<th scope="row">`); one per table. */
  isRowHeader?: boolean;
}

export interface DataTableProps<Row> {
  /** Accessible name of the table, also shown as its caption. */
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  testId?: string;
}

/** A plain, accessible table whose columns are data, so each list page is a column list. */
export function DataTable<Row>({ label, columns, rows, rowKey, testId }: DataTableProps<Row>) {
  return (
    <table className="data-table" data-testid={testId}>
      <caption>{label}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.id} scope="col">
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column) => {
              const content = column.render ? column.render(row) : column.value(row);
              return column.isRowHeader ? (
                <th key={column.id} scope="row">
                  {content}
                </th>
              ) : (
                <td key={column.id}>{content}</td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
