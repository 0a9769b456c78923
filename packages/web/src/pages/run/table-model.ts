import type { AutomationRunTest, CompactRunTests } from "@assay/api";

/**
 * The run page's test table as data: a run's tests in columns (typed arrays where they are numbers), and the
 * view of them the table shows (status filter, search, sort, grouping), computed in memory.
 *
 * Built for 100,000 tests: the names are kept as ONE string (with their offsets) and lower-cased once, so a
 * search is a native `indexOf` over that string per word, and the heap holds a few large objects instead of
 * hundreds of thousands of small ones (the garbage collector's marking stays short while scrolling). Each
 * sort order is computed once per data set (status and duration in linear or native numeric time, names by
 * comparison) and cached; a change of filter or search is then ONE pass over that order, which also counts
 * the statuses of the tests matching the search for the chips; grouping is one more pass over the matches.
 */

export interface TestData {
  count: number;
  ids: Int32Array;
  caseIds: Int32Array;
  /** every name, each followed by "\n" (names cannot hold the newline: it separates them) */
  nameText: string;
  /** name i is nameText[nameStart[i], nameStart[i + 1] − 1) */
  nameStart: Int32Array;
  /** nameText lower-cased (same offsets), or null when lower-casing changed its length: then `nameLower` */
  lowerText: string | null;
  nameLower: readonly string[] | null;
  folders: readonly string[];
  folderLower: readonly string[];
  folderIndex: Int32Array;
  statusIds: Int32Array;
  /** elapsed µs; NaN when not timed */
  elapsed: Float64Array;
  /** failure group id; 0 for none */
  groupIds: Int32Array;
  /** first line of the failure, by test index (failed tests only) */
  messages: ReadonlyMap<number, string>;
  /** every test of the run (the compact list), not just a first page */
  complete: boolean;
  /** ids ascending (the compact list): lookups by id are binary searches */
  idsAscending: boolean;
  /** tests by result status id, over all tests */
  statusCounts: ReadonlyMap<number, number>;
}

/** Name of test i. */
export function nameOf(data: TestData, i: number): string {
  return data.nameText.slice(data.nameStart[i]!, data.nameStart[i + 1]! - 1);
}

export function messageOf(data: TestData, i: number): string | null {
  return data.messages.get(i) ?? null;
}

interface Columns {
  ids: Int32Array;
  caseIds: Int32Array;
  names: readonly string[];
  folders: readonly string[];
  folderIndex: Int32Array;
  statusIds: Int32Array;
  elapsed: Float64Array;
  groupIds: Int32Array;
  messages: readonly (string | null | undefined)[];
  complete: boolean;
  idsAscending: boolean;
}

export function fromCompact(compact: CompactRunTests): TestData {
  const n = compact.ids.length;
  const elapsed = new Float64Array(n);
  const groupIds = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = compact.elapsed[i];
    elapsed[i] = e === null || e === undefined ? Number.NaN : e;
    groupIds[i] = compact.failure_group_ids[i] ?? 0;
  }
  return build({
    ids: Int32Array.from(compact.ids),
    caseIds: Int32Array.from(compact.case_ids),
    names: compact.names,
    folders: compact.folders,
    folderIndex: Int32Array.from(compact.folder_index),
    statusIds: Int32Array.from(compact.status_ids),
    elapsed,
    groupIds,
    messages: compact.messages,
    complete: true,
    idsAscending: true,
  });
}

/** A first page of the §7 list (shown while the compact list loads), in the order the server sent it. */
export function fromTests(tests: readonly AutomationRunTest[]): TestData {
  const n = tests.length;
  const folders: string[] = [];
  const folderIds = new Map<string, number>();
  const folderIndex = new Int32Array(n);
  const elapsed = new Float64Array(n);
  const groupIds = new Int32Array(n);
  tests.forEach((test, i) => {
    let folder = folderIds.get(test.folder);
    if (folder === undefined) {
      folder = folders.length;
      folderIds.set(test.folder, folder);
      folders.push(test.folder);
    }
    folderIndex[i] = folder;
    elapsed[i] = test.elapsed ?? Number.NaN;
    groupIds[i] = test.failure_group_id ?? 0;
  });
  return build({
    ids: Int32Array.from(tests, (t) => t.id),
    caseIds: Int32Array.from(tests, (t) => t.automation_case_id),
    names: tests.map((t) => t.name),
    folders,
    folderIndex,
    statusIds: Int32Array.from(tests, (t) => t.status_id),
    elapsed,
    groupIds,
    messages: tests.map((t) => t.message),
    complete: false,
    idsAscending: false,
  });
}

function build(columns: Columns): TestData {
  const { names, messages, statusIds } = columns;
  const n = columns.ids.length;
  const nameStart = new Int32Array(n + 1);
  const parts = new Array<string>(n);
  let at = 0;
  for (let i = 0; i < n; i++) {
    // a newline inside a name would end it early: shown as a space
    const name = names[i]!.includes("\n") ? names[i]!.replace(/\n/g, " ") : names[i]!;
    parts[i] = name;
    nameStart[i] = at;
    at += name.length + 1;
  }
  nameStart[n] = at;
  const nameText = n > 0 ? `${parts.join("\n")}\n` : "";
  const lowered = nameText.toLowerCase();
  const sameLength = lowered.length === nameText.length;
  const counts = new Map<number, number>();
  const failures = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const status = statusIds[i]!;
    counts.set(status, (counts.get(status) ?? 0) + 1);
    const message = messages[i];
    if (message) failures.set(i, message);
  }
  return {
    count: n,
    ids: columns.ids,
    caseIds: columns.caseIds,
    nameText,
    nameStart,
    lowerText: sameLength ? lowered : null,
    nameLower: sameLength ? null : parts.map((name) => name.toLowerCase()),
    folders: columns.folders,
    folderLower: columns.folders.map((f) => f.toLowerCase()),
    folderIndex: columns.folderIndex,
    statusIds,
    elapsed: columns.elapsed,
    groupIds: columns.groupIds,
    messages: failures,
    complete: columns.complete,
    idsAscending: columns.idsAscending,
    statusCounts: counts,
  };
}

/** Index of the test with this id, or -1. */
export function indexOfId(data: TestData, id: number): number {
  if (data.idsAscending) {
    let low = 0;
    let high = data.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = data.ids[mid]!;
      if (value === id) return mid;
      if (value < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }
  return data.ids.indexOf(id);
}

/**
 * Which names contain `term` (lower case, no whitespace): 1 at their index. One native `indexOf` scan of the
 * lower-cased names; after a hit the scan goes on from the next name.
 */
export function namesContaining(data: TestData, term: string): Uint8Array {
  const hits = new Uint8Array(data.count);
  if (data.lowerText === null) {
    data.nameLower!.forEach((name, i) => {
      if (name.includes(term)) hits[i] = 1;
    });
    return hits;
  }
  const text = data.lowerText;
  const starts = data.nameStart;
  let row = 0;
  let from = 0;
  for (;;) {
    const at = text.indexOf(term, from);
    if (at === -1) break;
    while (starts[row + 1]! <= at) row++;
    hits[row] = 1;
    from = starts[row + 1]!;
  }
  return hits;
}

// ---------------------------------------------------------------- statuses

/** What the table knows of a result status: its name and outcome flags (from the run's `statuses` expand). */
export interface StatusInfo {
  id: number;
  name: string;
  is_passed: boolean;
  is_failed: boolean;
}

/** Outcome of each status id: 1 neutral, 2 success, 3 failure (the server's `status` of a test). */
export type Outcomes = (statusId: number) => 1 | 2 | 3;

export function outcomesOf(statuses: readonly StatusInfo[]): Outcomes {
  const table = new Map<number, 1 | 2 | 3>();
  for (const s of statuses) table.set(s.id, s.is_failed ? 3 : s.is_passed ? 2 : 1);
  return (statusId) => table.get(statusId) ?? (statusId === 2 ? 2 : statusId === 3 ? 3 : 1);
}

/** Status ids for the chips: failures first, then passes, then the rest, each by id. */
export function chipOrder(statusIds: Iterable<number>, outcomes: Outcomes): number[] {
  const rank = (id: number) => ({ 3: 0, 2: 1, 1: 2 })[outcomes(id)];
  return [...statusIds].sort((a, b) => rank(a) - rank(b) || a - b);
}

// ---------------------------------------------------------------- sort orders

export type SortKey = "status" | "name" | "duration";
export const SORT_KEYS: readonly SortKey[] = ["status", "name", "duration"];

const orders = new WeakMap<TestData, Map<string, Int32Array>>();

/**
 * Test indices in ascending order of `key`, ties by id (upload order): the order the server's §7 list gives
 * for the same sort, so the first page and the full list agree. Cached per data set.
 * - status: outcome (neutral, success, failure), then status id — a counting sort, linear;
 * - duration: untimed first, then elapsed — a native sort of packed numbers;
 * - name: by UTF-16 code unit (the server sorts by code point: the same but for characters beyond U+FFFF).
 */
export function sortOrder(data: TestData, key: SortKey, outcomes: Outcomes): Int32Array {
  let cache = orders.get(data);
  if (!cache) {
    cache = new Map();
    orders.set(data, cache);
  }
  const cached = cache.get(key);
  if (cached) return cached;
  const base = byId(data);
  let order: Int32Array;
  if (key === "status") order = statusOrder(data, base, outcomes);
  else if (key === "duration") order = durationOrder(data, base);
  else order = nameOrder(data, base);
  cache.set(key, order);
  return order;
}

/** Indices by ascending id (the compact list is in id order already). */
function byId(data: TestData): Int32Array {
  const order = new Int32Array(data.count);
  for (let i = 0; i < data.count; i++) order[i] = i;
  if (!data.idsAscending) order.sort((a, b) => data.ids[a]! - data.ids[b]!);
  return order;
}

function statusOrder(data: TestData, base: Int32Array, outcomes: Outcomes): Int32Array {
  const keys = [...data.statusCounts.keys()].sort((a, b) => outcomes(a) - outcomes(b) || a - b);
  const start = new Map<number, number>();
  let offset = 0;
  for (const key of keys) {
    start.set(key, offset);
    offset += data.statusCounts.get(key)!;
  }
  const order = new Int32Array(data.count);
  for (const i of base) {
    const status = data.statusIds[i]!;
    const at = start.get(status)!;
    order[at] = i;
    start.set(status, at + 1);
  }
  return order;
}

function durationOrder(data: TestData, base: Int32Array): Int32Array {
  const n = data.count;
  // rank by id, so ties keep id order after packing
  let bits = 1;
  while (2 ** bits < n) bits++;
  const scale = 2 ** bits;
  let max = 0;
  for (let i = 0; i < n; i++) if (data.elapsed[i]! > max) max = data.elapsed[i]!;
  if ((max + 2) * scale < Number.MAX_SAFE_INTEGER) {
    const packed = new Float64Array(n);
    for (let rank = 0; rank < n; rank++) {
      const i = base[rank]!;
      const e = data.elapsed[i]!;
      packed[rank] = (Number.isNaN(e) ? 0 : e + 1) * scale + rank;
    }
    packed.sort();
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = base[packed[k]! % scale]!;
    return order;
  }
  const order = Int32Array.from(base);
  const value = (i: number) => (Number.isNaN(data.elapsed[i]!) ? -1 : data.elapsed[i]!);
  const rankOf = new Int32Array(n);
  base.forEach((i, rank) => {
    rankOf[i] = rank;
  });
  return order.sort((a, b) => value(a) - value(b) || rankOf[a]! - rankOf[b]!);
}

function nameOrder(data: TestData, base: Int32Array): Int32Array {
  const rankOf = new Int32Array(data.count);
  base.forEach((i, rank) => {
    rankOf[i] = rank;
  });
  // the names as strings for the time of the sort only
  const names = Array.from({ length: data.count }, (_, i) => nameOf(data, i));
  return Int32Array.from(base).sort((a, b) => {
    const x = names[a]!;
    const y = names[b]!;
    return x < y ? -1 : x > y ? 1 : rankOf[a]! - rankOf[b]!;
  });
}

// ---------------------------------------------------------------- the view

export type GroupBy = "none" | "folder" | "failure_group";
export const GROUP_BYS: readonly GroupBy[] = ["none", "folder", "failure_group"];

export interface ViewOptions {
  /** status ids to show; empty: all */
  statuses: readonly number[];
  /** search text: every word must be in the name or the folder (any case) */
  query: string;
  sort: SortKey;
  desc: boolean;
  group: GroupBy;
  /** keys of collapsed groups (`Group.key`) */
  collapsed: ReadonlySet<string>;
}

export interface Group {
  /** "f<folder index>" or "g<failure group id>" ("g0": no failure group) */
  key: string;
  kind: "folder" | "failure_group";
  /** folder index or failure group id (0: none) */
  id: number;
  /** tests of the group in the view */
  count: number;
  /** of them, failed */
  failed: number;
  collapsed: boolean;
}

export interface TestView {
  /** what the table's rows show, in order: a test index (≥ 0), or a group header (−1 − group position) */
  items: Int32Array;
  groups: Group[];
  /** tests that pass the status filter and the search */
  matched: number;
  /** tests matching the search (whatever the status filter), by status id: the chips' counts */
  statusCounts: Map<number, number>;
}

/** Lower-cased words of a search. */
export function searchTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}

export function computeView(data: TestData, outcomes: Outcomes, options: ViewOptions): TestView {
  const order = sortOrder(data, options.sort, outcomes);
  const terms = searchTerms(options.query);
  // per word: which names contain it (one scan of all names) and which folders (few: computed once per search)
  const nameHas = terms.map((term) => namesContaining(data, term));
  const folderHas = terms.map((term) => Uint8Array.from(data.folderLower, (folder) => (folder.includes(term) ? 1 : 0)));
  // status ids are small numbers: counts and the filter as arrays indexed by status id
  let maxStatus = 0;
  for (const status of data.statusCounts.keys()) maxStatus = Math.max(maxStatus, status);
  const counts = new Int32Array(maxStatus + 1);
  const wanted = new Uint8Array(maxStatus + 1);
  for (const status of options.statuses) if (status <= maxStatus) wanted[status] = 1;
  const filterStatus = options.statuses.length > 0;
  const rows = new Int32Array(data.count);
  let matched = 0;
  const n = data.count;
  const { folderIndex, statusIds } = data;
  for (let k = 0; k < n; k++) {
    const i = order[options.desc ? n - 1 - k : k]!;
    if (terms.length > 0) {
      const folder = folderIndex[i]!;
      let ok = true;
      for (let t = 0; t < terms.length; t++) {
        if (nameHas[t]![i] !== 1 && folderHas[t]![folder] !== 1) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
    }
    const status = statusIds[i]!;
    counts[status]!++;
    if (filterStatus && wanted[status] !== 1) continue;
    rows[matched++] = i;
  }
  const statusCounts = new Map<number, number>();
  for (const status of data.statusCounts.keys()) statusCounts.set(status, counts[status]!);
  const tests = rows.subarray(0, matched);
  if (options.group === "none") return { items: tests, groups: [], matched, statusCounts };
  const { items, groups } = groupTests(data, outcomes, tests, options);
  return { items, groups, matched, statusCounts };
}

/**
 * Buckets the (sorted) tests by folder or failure group, keeping their order inside each group. Folders are
 * listed by name; failure groups by their number of tests in the view, most first (then by id), tests without
 * a group last.
 */
function groupTests(
  data: TestData,
  outcomes: Outcomes,
  tests: Int32Array,
  options: ViewOptions,
): { items: Int32Array; groups: Group[] } {
  const byFolder = options.group === "folder";
  const keyOf = byFolder ? data.folderIndex : data.groupIds;
  const slot = new Map<number, number>();
  const groups: Group[] = [];
  const members: number[][] = [];
  for (const i of tests) {
    const id = keyOf[i]!;
    let g = slot.get(id);
    if (g === undefined) {
      g = groups.length;
      slot.set(id, g);
      const key = `${byFolder ? "f" : "g"}${id}`;
      groups.push({
        key,
        kind: byFolder ? "folder" : "failure_group",
        id,
        count: 0,
        failed: 0,
        collapsed: options.collapsed.has(key),
      });
      members.push([]);
    }
    const group = groups[g]!;
    group.count++;
    if (outcomes(data.statusIds[i]!) === 3) group.failed++;
    members[g]!.push(i);
  }
  const positions = groups.map((_, g) => g);
  if (byFolder) {
    positions.sort((a, b) => {
      const x = data.folders[groups[a]!.id]!;
      const y = data.folders[groups[b]!.id]!;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  } else {
    positions.sort((a, b) => {
      const x = groups[a]!;
      const y = groups[b]!;
      if ((x.id === 0) !== (y.id === 0)) return x.id === 0 ? 1 : -1;
      return y.count - x.count || x.id - y.id;
    });
  }
  const sorted = positions.map((g) => groups[g]!);
  let size = sorted.length;
  for (const g of positions) if (!groups[g]!.collapsed) size += members[g]!.length;
  const items = new Int32Array(size);
  let at = 0;
  positions.forEach((g, position) => {
    items[at++] = -1 - position;
    if (groups[g]!.collapsed) return;
    for (const i of members[g]!) items[at++] = i;
  });
  return { items, groups: sorted };
}

// ---------------------------------------------------------------- URL state

export interface TableSearch {
  status?: string;
  q?: string;
  sort?: SortKey;
  order?: "asc" | "desc";
  group?: GroupBy;
}

/** `?status=3,6` → [3, 6] (invalid parts dropped). */
export function parseStatusList(value: string | undefined): number[] {
  if (!value) return [];
  return [
    ...new Set(
      value
        .split(",")
        .map((part) => Number(part.trim()))
        .filter((id) => Number.isInteger(id) && id > 0 && id < 1000),
    ),
  ];
}

/** The default order of each sort: failures first, names A→Z, slowest first. */
export function defaultDesc(sort: SortKey): boolean {
  return sort !== "name";
}
