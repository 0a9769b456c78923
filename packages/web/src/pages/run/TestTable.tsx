// biome-ignore-all lint/a11y/useSemanticElements: a virtualized ARIA grid (only the rows on screen exist, positioned absolutely) cannot be a <table>
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid is the one tab stop; its rows and cells are reached with aria-activedescendant
import {
  createColumnHelper,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import {
  forwardRef,
  type KeyboardEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from "react";
import { formatCount, formatDuration } from "../../ui/format";
import { RESULT_STATUSES, type StatusTone } from "../../ui/StatusChip";
import {
  defaultDesc,
  type Group,
  indexOfId,
  messageOf,
  nameOf,
  type Outcomes,
  type SortKey,
  type StatusInfo,
  type TestData,
  type TestView,
} from "./table-model";

/**
 * The run's tests as an ARIA grid, virtualized (TanStack Virtual: only the rows on screen exist, whatever the
 * number of tests), its columns and sorting state owned by TanStack Table (`manualSorting`: the sort itself,
 * like the filters, runs in table-model over the whole run). Rows are drawn straight from the data by column
 * (memoized per row), so a scrolled frame renders only the rows that came into view.
 *
 * Keyboard: the grid is one tab stop; ↑/↓ move the active row (Home/End, PageUp/PageDown), Enter opens the
 * active test's panel (or folds a group), ←/→ fold and unfold a group, Escape closes the panel. While the
 * panel is open it follows the active row. The active row is `aria-activedescendant` while it is rendered.
 */

export const ROW_HEIGHT = 36;
export const HEADER_HEIGHT = 38;

export interface TestTableHandle {
  focus(): void;
}

export interface TestTableProps {
  data: TestData;
  view: TestView;
  outcomes: Outcomes;
  statuses: ReadonlyMap<number, StatusInfo>;
  groupLabel: (group: Group) => string;
  sort: SortKey;
  desc: boolean;
  onSort: (sort: SortKey, desc: boolean) => void;
  selectedId: number | undefined;
  panelOpen: boolean;
  /** opens (or with the panel open, moves) the panel to a test */
  onOpen: (testId: number, follow: boolean) => void;
  onClose: () => void;
  onToggleGroup: (key: string, collapsed?: boolean) => void;
  caption: string;
}

/** A row as TanStack Table would see it: the test's index in the data. */
interface WindowRow {
  i: number;
}

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, WindowRow>();

export function toneOf(statusId: number, outcomes: Outcomes): StatusTone {
  const outcome = outcomes(statusId);
  if (outcome === 3) return "failed";
  if (outcome === 2) return "passed";
  return RESULT_STATUSES[statusId]?.tone ?? "neutral";
}

export function statusName(statusId: number, statuses: ReadonlyMap<number, StatusInfo>): string {
  return statuses.get(statusId)?.name ?? RESULT_STATUSES[statusId]?.label ?? `Status ${statusId}`;
}

type CellRenderer = (i: number) => ReactNode;

/** Each column's cell for test `i` (rows are rendered from these, not from a row model: see TestRow). */
function useCells(data: TestData, outcomes: Outcomes, statuses: ReadonlyMap<number, StatusInfo>) {
  return useMemo<Record<string, CellRenderer>>(
    () => ({
      status: (i) => {
        const status = data.statusIds[i]!;
        return (
          <span className={`chip chip--${toneOf(status, outcomes)}`}>
            <span className="chip__mark" aria-hidden="true" />
            {statusName(status, statuses)}
          </span>
        );
      },
      name: (i) => {
        const name = nameOf(data, i);
        const message = messageOf(data, i);
        return (
          <>
            <span className="test-grid__name" title={name}>
              {name}
            </span>
            {message ? <span className="test-grid__message">{message}</span> : null}
          </>
        );
      },
      folder: (i) => {
        const folder = data.folders[data.folderIndex[i]!];
        return (
          <span className="test-grid__folder" title={folder}>
            {folder}
          </span>
        );
      },
      duration: (i) => {
        const value = data.elapsed[i]!;
        return Number.isNaN(value) ? <span className="muted">—</span> : formatDuration(value);
      },
    }),
    [data, outcomes, statuses],
  );
}

/** The table's columns: TanStack Table owns them and their sorting (the header buttons, `aria-sort`). */
const columns = helper.columns([
  helper.accessor((row) => row.i, { id: "status", header: "Status" }),
  helper.accessor((row) => row.i, { id: "name", header: "Test" }),
  helper.accessor((row) => row.i, { id: "folder", header: "Folder", enableSorting: false }),
  helper.accessor((row) => row.i, { id: "duration", header: "Duration" }),
]);
const NO_ROWS: WindowRow[] = [];

export const TestTable = forwardRef<TestTableHandle, TestTableProps>(function TestTable(props, ref) {
  const { data, view, selectedId, panelOpen, onOpen, onClose, onToggleGroup, groupLabel } = props;
  const { items, groups } = view;
  const scrollRef = useRef<HTMLDivElement>(null);
  useImperativeHandle(ref, () => ({ focus: () => scrollRef.current?.focus() }), []);

  const selectedIndex = selectedId === undefined ? -1 : indexOfId(data, selectedId);
  const selectedPosition = selectedIndex < 0 ? -1 : items.indexOf(selectedIndex);
  const [active, setActive] = useState(Math.max(0, selectedPosition));

  // a new view (filter, search, sort, grouping): the active row is the selected test if shown, else the first
  const lastItems = useRef(items);
  if (lastItems.current !== items) {
    lastItems.current = items;
    const next = Math.max(selectedPosition, 0);
    if (next !== active) setActive(next);
  }
  const activePosition = Math.max(0, Math.min(active, items.length - 1));

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
    scrollMargin: HEADER_HEIGHT,
    initialRect: { width: 1000, height: 640 },
    getItemKey: (position) => items[position]!,
  });

  // a test selected by the URL (a shared link) is scrolled into view once
  const scrolledTo = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (selectedPosition < 0 || scrolledTo.current === selectedId) return;
    scrolledTo.current = selectedId;
    virtualizer.scrollToIndex(selectedPosition, { align: "center" });
  }, [selectedId, selectedPosition, virtualizer]);

  const virtualItems = virtualizer.getVirtualItems();
  const cells = useCells(data, props.outcomes, props.statuses);
  const sorting = useMemo<SortingState>(() => [{ id: props.sort, desc: props.desc }], [props.sort, props.desc]);
  const { onSort } = props;
  // Rows are not given to the table: at 100,000 tests its row model would be rebuilt on every filter and every
  // scrolled frame for nothing — table-model sorts and filters, the virtualizer picks the rows on screen.
  const table = useTable({
    features,
    columns,
    data: NO_ROWS,
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first) onSort(first.id as SortKey, first.desc);
    },
  });
  const columnIds = table.getAllLeafColumns().map((column) => column.id);
  const onRowClick = useCallback(
    (position: number, id: number) => {
      setActive(position);
      onOpen(id, false);
    },
    [onOpen],
  );

  const moveTo = useCallback(
    (position: number) => {
      if (items.length === 0) return;
      const next = Math.max(0, Math.min(items.length - 1, position));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: "auto" });
      const value = items[next]!;
      if (panelOpen && value >= 0) onOpen(data.ids[value]!, true);
    },
    [items, virtualizer, panelOpen, onOpen, data],
  );

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    const value = items[activePosition];
    const group = value !== undefined && value < 0 ? groups[-1 - value] : undefined;
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
        moveTo(activePosition + 1);
        break;
      case "ArrowUp":
        moveTo(activePosition - 1);
        break;
      case "PageDown":
        moveTo(activePosition + page);
        break;
      case "PageUp":
        moveTo(activePosition - page);
        break;
      case "Home":
        moveTo(0);
        break;
      case "End":
        moveTo(items.length - 1);
        break;
      case "Enter":
      case " ":
        if (group) onToggleGroup(group.key);
        else if (value !== undefined && value >= 0) onOpen(data.ids[value]!, false);
        else handled = false;
        break;
      case "ArrowLeft":
        if (group && !group.collapsed) onToggleGroup(group.key, true);
        else handled = false;
        break;
      case "ArrowRight":
        if (group?.collapsed) onToggleGroup(group.key, false);
        else handled = false;
        break;
      case "Escape":
        if (panelOpen) onClose();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  }

  const activeRendered = virtualItems.some((item) => item.index === activePosition);
  const activeValue = items[activePosition];
  const activeId =
    activeRendered && activeValue !== undefined
      ? activeValue >= 0
        ? `test-row-${data.ids[activeValue]}`
        : `test-group-${groups[-1 - activeValue]?.key}`
      : undefined;

  const headers = table.getHeaderGroups()[0]?.headers ?? [];

  return (
    <div
      ref={scrollRef}
      className="test-grid"
      role="grid"
      aria-label={props.caption}
      aria-rowcount={items.length + 1}
      aria-colcount={4}
      aria-multiselectable="false"
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-complete={data.complete ? "true" : "false"}
    >
      <div className="test-grid__head" role="rowgroup">
        <div className="test-grid__row test-grid__row--head" role="row" aria-rowindex={1}>
          {headers.map((header, column) => {
            const sorted = header.column.getIsSorted();
            const canSort = header.column.getCanSort();
            const content = <table.FlexRender header={header} />;
            return (
              <div
                key={header.id}
                role="columnheader"
                aria-colindex={column + 1}
                className={`test-grid__cell test-grid__cell--${header.id}`}
                aria-sort={
                  canSort ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined
                }
              >
                {canSort ? (
                  <button
                    type="button"
                    className="table__sort"
                    onClick={() => {
                      const key = header.id as SortKey;
                      header.column.toggleSorting(sorted ? sorted !== "desc" : defaultDesc(key));
                    }}
                  >
                    {content}
                    <span className={`table__sort-mark table__sort-mark--${sorted || "none"}`} aria-hidden="true" />
                  </button>
                ) : (
                  content
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div className="test-grid__body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
        {virtualItems.map((item) => {
          const value = items[item.index]!;
          const top = item.start - HEADER_HEIGHT;
          if (value < 0) {
            const group = groups[-1 - value]!;
            return (
              <GroupRow
                key={item.key as number}
                group={group}
                label={groupLabel(group)}
                position={item.index}
                top={top}
                active={item.index === activePosition}
                onToggle={() => {
                  setActive(item.index);
                  onToggleGroup(group.key);
                }}
              />
            );
          }
          const id = data.ids[value]!;
          return (
            <TestRow
              key={item.key as number}
              i={value}
              id={id}
              position={item.index}
              top={top}
              active={item.index === activePosition}
              selected={id === selectedId}
              cells={cells}
              columnIds={columnIds.join(",")}
              onClick={onRowClick}
            />
          );
        })}
      </div>
      {items.length === 0 ? <p className="test-grid__empty muted">No tests match.</p> : null}
    </div>
  );
});

/** One test's row; re-rendered only when what it shows changes (not on every scrolled frame). */
const TestRow = memo(function TestRow({
  i,
  id,
  position,
  top,
  active,
  selected,
  cells,
  columnIds,
  onClick,
}: {
  i: number;
  id: number;
  position: number;
  top: number;
  active: boolean;
  selected: boolean;
  cells: Record<string, CellRenderer>;
  /** the columns' ids in order, comma-separated */
  columnIds: string;
  onClick: (position: number, id: number) => void;
}) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the grid handles the keyboard for its rows
    <div
      id={`test-row-${id}`}
      role="row"
      aria-rowindex={position + 2}
      aria-selected={selected}
      data-test-row=""
      className={`test-grid__row${active ? " test-grid__row--active" : ""}${selected ? " test-grid__row--selected" : ""}`}
      style={{ top }}
      onClick={() => onClick(position, id)}
    >
      {columnIds.split(",").map((column, index) => (
        <div
          key={column}
          role="gridcell"
          aria-colindex={index + 1}
          className={`test-grid__cell test-grid__cell--${column}`}
        >
          {cells[column]?.(i)}
        </div>
      ))}
    </div>
  );
});

function GroupRow({
  group,
  label,
  position,
  top,
  active,
  onToggle,
}: {
  group: Group;
  label: string;
  position: number;
  top: number;
  active: boolean;
  onToggle: () => void;
}) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the grid handles the keyboard for its rows
    <div
      id={`test-group-${group.key}`}
      role="row"
      aria-rowindex={position + 2}
      className={`test-grid__row test-grid__row--group${active ? " test-grid__row--active" : ""}`}
      style={{ top }}
      onClick={onToggle}
    >
      <div role="gridcell" aria-colindex={1} aria-colspan={4} className="test-grid__cell test-grid__cell--group">
        <button
          type="button"
          tabIndex={-1}
          className="test-grid__toggle"
          aria-expanded={!group.collapsed}
          onClick={(event) => {
            event.stopPropagation();
            onToggle();
          }}
        >
          <span
            className={`test-grid__caret${group.collapsed ? " test-grid__caret--collapsed" : ""}`}
            aria-hidden="true"
          />
          <span className="test-grid__group-label">{label}</span>
        </button>
        <span className="test-grid__group-count muted">
          {formatCount(group.count)} test{group.count === 1 ? "" : "s"}
          {group.failed > 0 ? `, ${formatCount(group.failed)} failed` : ""}
        </span>
      </div>
    </div>
  );
}
