import {
  type CellData,
  type ColumnDef,
  createColumnHelper,
  createSortedRowModel,
  type Header,
  type RowData,
  rowSortingFeature,
  type SortingState,
  sortFn_alphanumeric,
  sortFn_basic,
  sortFn_datetime,
  sortFn_text,
  type TableFeatures,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import { type ReactNode, useEffect, useState } from "react";

/**
 * Tables of the UI: TanStack Table v9 (headless) rendered as a semantic `<table>` with a caption,
 * sortable column headers (buttons, `aria-sort`) and an empty state. Column definitions use the features
 * below; build them with `dataColumns<Row>()` at module scope (stable columns: no re-computation).
 *
 * Sorting is client-side by default; `manualSorting` with `sorting`/`onSortingChange` makes the server
 * (or the URL) own it: the table then only shows the order and reports clicks.
 */
export const dataTableFeatures = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, basic: sortFn_basic, datetime: sortFn_datetime, text: sortFn_text },
});
export type DataTableFeatures = typeof dataTableFeatures;

// biome-ignore lint/suspicious/noExplicitAny: a row's columns hold values of different types
export type DataColumn<TData extends RowData> = ColumnDef<DataTableFeatures, TData, any>;

/** `const col = dataColumns<Project>(); const columns = col.columns([col.accessor("name", {…})])`. */
export function dataColumns<TData extends RowData>() {
  return createColumnHelper<DataTableFeatures, TData>();
}

declare module "@tanstack/table-core" {
  interface ColumnMeta<
    in out TFeatures extends TableFeatures,
    in out TData extends RowData,
    TValue extends CellData = CellData,
  > {
    /** "end" right-aligns numbers and their header. */
    align?: "start" | "end";
    /** Header text for screen readers when the visible header is empty or an icon. */
    srHeader?: string;
    /** VirtualTable: the column's CSS grid track, e.g. "minmax(240px, 1fr)" or "110px" (default "minmax(0, 1fr)"). */
    width?: string;
  }
}

export interface DataTableProps<TData extends RowData> {
  /** What the table lists; its accessible name (shown unless `captionHidden`). */
  caption: string;
  captionHidden?: boolean;
  columns: DataColumn<TData>[];
  data: TData[];
  getRowId?: (row: TData, index: number) => string;
  /** Controlled sorting (e.g. held in the URL). */
  sorting?: SortingState;
  onSortingChange?: (sorting: SortingState) => void;
  initialSorting?: SortingState;
  /** The rows come sorted (by the server): do not reorder them. */
  manualSorting?: boolean;
  /** Shown instead of the table when `data` is empty. */
  empty?: ReactNode;
  rowClassName?: (row: TData) => string | undefined;
  className?: string;
}

export function DataTable<TData extends RowData>(props: DataTableProps<TData>) {
  const { caption, captionHidden, columns, data, getRowId, manualSorting, empty, rowClassName, className } = props;
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
  const headerGroups = table.getHeaderGroups();
  const [wrap, setWrap] = useState<HTMLDivElement | null>(null);
  const scrollable = useScrollsSideways(wrap);

  if (data.length === 0 && empty) return <>{empty}</>;
  return (
    <div
      ref={setWrap}
      className={["table-wrap", className].filter(Boolean).join(" ")}
      // a table wider than its place scrolls sideways: keyboard users need to reach it (WCAG 2.1.1)
      {...(scrollable ? { tabIndex: 0, role: "region", "aria-label": caption } : {})}
    >
      <table className="table">
        <caption className={captionHidden ? "sr-only" : "table__caption"}>{caption}</caption>
        <thead>
          {headerGroups.map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <HeaderCell key={header.id} header={header}>
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </HeaderCell>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className={rowClassName?.(row.original)}>
              {row.getAllCells().map((cell) => (
                <td
                  key={cell.id}
                  className={cell.column.columnDef.meta?.align === "end" ? "table__cell--end" : undefined}
                >
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A column header: `aria-sort` and a button that changes the order when the column can sort.
 * `children` is the rendered header (`<table.FlexRender header={header} />`).
 */
export function HeaderCell<TData extends RowData>({
  header,
  children,
  className,
}: {
  // biome-ignore lint/suspicious/noExplicitAny: headers of columns of any value type
  header: Header<DataTableFeatures, TData, any>;
  children: ReactNode;
  className?: string;
}) {
  const meta = header.column.columnDef.meta;
  const sorted = header.column.getIsSorted();
  const canSort = header.column.getCanSort();
  const srHeader = meta?.srHeader ? <span className="sr-only">{meta.srHeader}</span> : null;
  const classes = [meta?.align === "end" ? "table__cell--end" : null, className].filter(Boolean).join(" ");
  return (
    <th
      scope="col"
      colSpan={header.colSpan > 1 ? header.colSpan : undefined}
      className={classes || undefined}
      aria-sort={canSort ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined}
    >
      {canSort ? (
        <button type="button" className="table__sort" onClick={header.column.getToggleSortingHandler()}>
          {children}
          {srHeader}
          <span className={`table__sort-mark table__sort-mark--${sorted || "none"}`} aria-hidden="true" />
        </button>
      ) : (
        <>
          {children}
          {srHeader}
        </>
      )}
    </th>
  );
}

/** Whether the element is narrower than its content (it scrolls sideways), kept current as sizes change. */
function useScrollsSideways(element: HTMLElement | null): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    if (!element || typeof ResizeObserver === "undefined") return;
    const check = () => setScrolls(element.scrollWidth > element.clientWidth + 1);
    const observer = new ResizeObserver(check);
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    check();
    return () => observer.disconnect();
  }, [element]);
  return scrolls;
}
