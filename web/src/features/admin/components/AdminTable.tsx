import type { ReactNode } from 'react';

/**
 * The admin area's tables (users, organisations, centres, legal pages): a striped KERN table in a
 * scrollable, keyboard-reachable region named by `caption`, with one header row of column names.
 */
export function AdminTable({
  caption,
  testId,
  columns,
  children,
}: {
  caption: string;
  testId: string;
  columns: ReactNode[];
  children: ReactNode;
}) {
  return (
    <div className="kern-table-responsive" tabIndex={0} role="region" aria-label={caption}>
      <table className="kern-table kern-table--striped fd-admin-table" data-testid={testId}>
        <caption className="kern-sr-only">{caption}</caption>
        <thead className="kern-table__head">
          <tr className="kern-table__row">
            {columns.map((column, i) => (
              <th key={i} scope="col" className="kern-table__header">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="kern-table__body">{children}</tbody>
      </table>
    </div>
  );
}
