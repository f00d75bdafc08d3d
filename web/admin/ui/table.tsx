// Data tables: a caption, header cells with scope, and an explicit row for "nothing here".
import type { Child } from 'hono/jsx';

export interface Column<T> {
  header: string;
  cell(row: T): Child;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

export interface TableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  /** Shown in place of rows when there are none. */
  empty: string;
  /** Optional id attribute of each row (for links to a row). */
  rowId?(row: T): string;
  /** Optional full-width row after a row (class `more`), e.g. what a disclosure in it opens. */
  more?(row: T): Child | null;
}

export function Table<T>({ caption, columns, rows, empty, rowId, more }: TableProps<T>) {
  return (
    // A wide table scrolls inside its own box (keyboard-focusable), never the page.
    <div class="table-wrap" role="region" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((col) => (
              <th scope="col" class={col.numeric ? 'num' : undefined}>
                {col.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colspan={columns.length} class="empty">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const extra = more?.(row);
              return (
                <>
                  <tr id={rowId?.(row)}>
                    {columns.map((col) => (
                      <td class={col.numeric ? 'num' : undefined}>{col.cell(row)}</td>
                    ))}
                  </tr>
                  {extra ? (
                    <tr class="more">
                      <td colspan={columns.length}>{extra}</td>
                    </tr>
                  ) : null}
                </>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
