import { parseId } from "../../app/params";
import { defaultDesc, GROUP_BYS, type GroupBy, parseStatusList, SORT_KEYS, type SortKey } from "./table-model";

/**
 * The run page's URL: `/automation/runs/:runId?baseline=12&status=3,6&q=checkout&sort=duration&order=asc&group=folder&test=345`.
 * Defaults are left out of the URL (status sort, failures first; no filter; no grouping).
 */
export interface RunSearch {
  /** run compared with (else the automatic baseline) */
  baseline?: number;
  /** the selected test (its panel is open): an automation run test id */
  test?: number;
  /** status ids shown, comma-separated */
  status?: string;
  q?: string;
  sort?: SortKey;
  order?: "asc" | "desc";
  group?: GroupBy;
}

function id(value: unknown): number | undefined {
  return (
    parseId(typeof value === "number" ? String(value) : typeof value === "string" ? value : undefined) ?? undefined
  );
}

export function validateRunSearch(search: Record<string, unknown>): RunSearch {
  const status = parseStatusList(typeof search.status === "number" ? String(search.status) : (search.status as string));
  const q = typeof search.q === "string" || typeof search.q === "number" ? String(search.q) : undefined;
  const sort = SORT_KEYS.includes(search.sort as SortKey) ? (search.sort as SortKey) : undefined;
  const result: RunSearch = {
    baseline: id(search.baseline),
    test: id(search.test),
    status: status.length > 0 ? status.join(",") : undefined,
    q: q && q.trim() !== "" ? q.slice(0, 500) : undefined,
    sort: sort === "status" ? undefined : sort,
    order: search.order === "asc" || search.order === "desc" ? search.order : undefined,
    group:
      GROUP_BYS.includes(search.group as GroupBy) && search.group !== "none" ? (search.group as GroupBy) : undefined,
  };
  if (result.order && (result.order === "desc") === defaultDesc(result.sort ?? "status")) result.order = undefined;
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as RunSearch;
}

/** The table's state as the page holds it. */
export interface TableState {
  statuses: number[];
  query: string;
  sort: SortKey;
  desc: boolean;
  group: GroupBy;
}

export function tableStateOf(search: RunSearch): TableState {
  const sort = search.sort ?? "status";
  return {
    statuses: parseStatusList(search.status),
    query: search.q ?? "",
    sort,
    desc: search.order ? search.order === "desc" : defaultDesc(sort),
    group: search.group ?? "none",
  };
}

/** The URL values of a table state (defaults left out). */
export function searchOf(state: TableState): Pick<RunSearch, "status" | "q" | "sort" | "order" | "group"> {
  return {
    status: state.statuses.length > 0 ? state.statuses.join(",") : undefined,
    q: state.query.trim() !== "" ? state.query : undefined,
    sort: state.sort === "status" ? undefined : state.sort,
    order: state.desc === defaultDesc(state.sort) ? undefined : state.desc ? "desc" : "asc",
    group: state.group === "none" ? undefined : state.group,
  };
}

export function sameTableState(a: TableState, b: TableState): boolean {
  return (
    a.query === b.query &&
    a.sort === b.sort &&
    a.desc === b.desc &&
    a.group === b.group &&
    a.statuses.length === b.statuses.length &&
    a.statuses.every((s, i) => s === b.statuses[i])
  );
}

/** Whether the first page of the plain list shows what the table would (no filter, search or grouping). */
export function firstPageFits(state: TableState): boolean {
  return state.statuses.length === 0 && state.query.trim() === "" && state.group === "none";
}
