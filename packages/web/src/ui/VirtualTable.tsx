import { type RowData, type SortingState, type Updater, useTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type CSSProperties, type ReactNode, useRef, useState } from "react";
import { type DataColumn, dataTableFeatures, HeaderCell } from "./DataTable";

/**
 * A table for many rows (a run's 100,000 tests): only the rows in view (plus a few) are in the DOM.
 * Same columns and sorting as `DataTable`; rows have one fixed height (`rowHeight`, px) so scrolling never
 * measures. It scrolls inside its own box (`height`, any CSS length) with the header kept in view.
 *
 * Accessibility: a real `<table>` whose `aria-rowcount` is the full count and whose rows carry their
 * `aria-rowindex`, so screen readers announce "row 4,512 of 100,001". Column widths come from each
 * column's `meta.width` (a CSS grid track, e.g. "minmax(240px, 1fr)" or "110px"; default "1fr").
 */
export interface VirtualTableProps<TData extends RowData> {
  caption: string;
  captionHidden?: boolean;
  columns: DataColumn<TData>[];
  data: TData[];
  getRowId?: (row: TData, index: number) => string;
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  initialSorting?: SortingState;
  manualSorting?: boolean;
  rowHeight?: number;
  height?: string;
  empty?: ReactNode;
  rowClassName?: (row: TData) => string | undefined;
  /** Rows rendered beyond the visible ones, above and below. */
  overscan?: number;
}

export function VirtualTable<TData extends RowData>(props: VirtualTableProps<TData>) {
  const { caption, captionHidden, columns, data, getRowId, manualSorting, empty, rowClassName } = props;
  const rowHeight = props.rowHeight ?? 36;
  const [localSorting, setLocalSorting] = useState<SortingState>(props.initialSorting ?? []);
  const sorting = props.sorting ?? localSorting;
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId,
    manualSorting,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      if (props.onSortingChange) props.onSortingChange(next);
      else setLocalSorting(next);
    },
  });
  const rows = table.getRowModel().rows;
  const scroller = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: props.overscan ?? 10,
    // a first render before the box is measured (and in tests): assume a screenful
    initialRect: { width: 1024, height: 20 * rowHeight },
  });

  if (data.length === 0 && empty) return <>{empty}</>;
  const leafColumns = table.getAllLeafColumns();
  const style = {
    "--vt-columns": leafColumns.map((column) => column.columnDef.meta?.width ?? "minmax(0, 1fr)").join(" "),
    "--vt-row-height": `${rowHeight}px`,
    "--vt-height": props.height ?? "70vh",
  } as CSSProperties;
  return (
    // a focusable, named scrolling region: keyboard users scroll it with the arrow keys
    // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard
    <section ref={scroller} className="virtual-table" style={style} aria-label={caption} tabIndex={0}>
      <table className="table virtual-table__table" aria-rowcount={rows.length + 1}>
        <caption className={captionHidden ? "sr-only" : "table__caption"}>{caption}</caption>
        <thead className="virtual-table__head">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1} className="virtual-table__row">
              {group.headers.map((header) => (
                <HeaderCell key={header.id} header={header}>
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </HeaderCell>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="virtual-table__body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <tr
                key={row.id}
                aria-rowindex={item.index + 2}
                className={["virtual-table__row", rowClassName?.(row.original)].filter(Boolean).join(" ")}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.getAllCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={cell.column.columnDef.meta?.align === "end" ? "table__cell--end" : undefined}
                  >
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
