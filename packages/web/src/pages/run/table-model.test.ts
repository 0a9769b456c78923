import type { AutomationRunTest, CompactRunTests } from "@assay/api";
import { describe, expect, it } from "vitest";
import {
  chipOrder,
  computeView,
  fromCompact,
  fromTests,
  indexOfId,
  messageOf,
  nameOf,
  namesContaining,
  outcomesOf,
  parseStatusList,
  searchTerms,
  sortOrder,
  type TestData,
  type ViewOptions,
} from "./table-model";

const statuses = [
  { id: 1, name: "Untested", is_passed: false, is_failed: false },
  { id: 2, name: "Passed", is_passed: true, is_failed: false },
  { id: 3, name: "Failed", is_passed: false, is_failed: true },
  { id: 6, name: "Skipped", is_passed: false, is_failed: false },
  { id: 9, name: "Flaked", is_passed: false, is_failed: true },
];
const outcomes = outcomesOf(statuses);

/** [id, name, folder, status id, elapsed, failure group] */
type Row = [number, string, string, number, number | null, number | null];

function compact(rows: Row[]): CompactRunTests {
  const folders: string[] = [];
  return {
    automation_run_id: 1,
    total: rows.length,
    ids: rows.map((r) => r[0]),
    case_ids: rows.map((r) => r[0] + 1000),
    names: rows.map((r) => r[1]),
    folders,
    folder_index: rows.map((r) => {
      if (!folders.includes(r[2])) folders.push(r[2]);
      return folders.indexOf(r[2]);
    }),
    status_ids: rows.map((r) => r[3]),
    elapsed: rows.map((r) => r[4]),
    failure_group_ids: rows.map((r) => r[5]),
    messages: rows.map((r) => (r[3] === 3 ? `${r[1]} failed` : null)),
  };
}

const ROWS: Row[] = [
  [10, "adds items", "cart", 2, 1200, null],
  [11, "Totals", "cart", 3, 5000, 7],
  [12, "applies coupon", "checkout", 6, null, null],
  [13, "pays by card", "checkout", 3, 800, 7],
  [14, "refunds", "payments", 9, 800, 8],
  [15, "pays by invoice", "payments", 2, 300, null],
  [16, "CART badge", "header", 1, 0, null],
];
const data = fromCompact(compact(ROWS));

const options = (more: Partial<ViewOptions> = {}): ViewOptions => ({
  statuses: [],
  query: "",
  sort: "status",
  desc: true,
  group: "none",
  collapsed: new Set(),
  ...more,
});

const names = (d: TestData, items: Int32Array) => Array.from(items, (i) => (i < 0 ? `#${-1 - i}` : nameOf(d, i)));

describe("test data", () => {
  it("reads the compact list, with lower-cased names and status counts", () => {
    expect(data.count).toBe(7);
    expect(data.complete).toBe(true);
    expect(nameOf(data, 1)).toBe("Totals");
    expect(data.lowerText).toBe(
      "adds items\ntotals\napplies coupon\npays by card\nrefunds\npays by invoice\ncart badge\n",
    );
    expect(messageOf(data, 1)).toBe("Totals failed");
    expect(messageOf(data, 0)).toBeNull();
    expect(data.folderLower).toEqual(["cart", "checkout", "payments", "header"]);
    expect(Number.isNaN(data.elapsed[2]!)).toBe(true);
    expect(data.groupIds[0]).toBe(0);
    expect(Object.fromEntries(data.statusCounts)).toEqual({ 1: 1, 2: 2, 3: 2, 6: 1, 9: 1 });
    expect(indexOfId(data, 13)).toBe(3);
    expect(indexOfId(data, 99)).toBe(-1);
  });

  it("reads a first page of the §7 list as well", () => {
    const page = [
      { id: 21, name: "b", folder: "x", status_id: 3, elapsed: null, failure_group_id: 4, message: "boom" },
      { id: 20, name: "a", folder: "y", status_id: 2, elapsed: 10, failure_group_id: null, message: null },
    ].map((t) => ({ ...t, automation_case_id: t.id + 100 })) as unknown as AutomationRunTest[];
    const first = fromTests(page);
    expect(first.complete).toBe(false);
    expect(first.folders).toEqual(["x", "y"]);
    expect(Array.from(first.caseIds)).toEqual([121, 120]);
    expect(indexOfId(first, 20)).toBe(1);
    // sorted by id whatever the page's order: ties in other sorts follow upload order
    expect(Array.from(sortOrder(first, "name", outcomes))).toEqual([1, 0]);
    expect(Array.from(sortOrder(first, "status", outcomes))).toEqual([1, 0]);
  });
});

describe("sort orders", () => {
  it("status: failures first descending (then status id, then newest), as the server sorts", () => {
    const view = computeView(data, outcomes, options());
    expect(names(data, view.items)).toEqual([
      "refunds",
      "pays by card",
      "Totals",
      "pays by invoice",
      "adds items",
      "applies coupon",
      "CART badge",
    ]);
  });

  it("name: by code unit (capitals first), ties by id", () => {
    const view = computeView(data, outcomes, options({ sort: "name", desc: false }));
    expect(names(data, view.items)).toEqual([
      "CART badge",
      "Totals",
      "adds items",
      "applies coupon",
      "pays by card",
      "pays by invoice",
      "refunds",
    ]);
  });

  it("duration: slowest first descending, untimed last; ties by id", () => {
    const view = computeView(data, outcomes, options({ sort: "duration" }));
    expect(names(data, view.items)).toEqual([
      "Totals",
      "adds items",
      "refunds",
      "pays by card",
      "pays by invoice",
      "CART badge",
      "applies coupon",
    ]);
  });

  it("computes each order once per data set", () => {
    expect(sortOrder(data, "name", outcomes)).toBe(sortOrder(data, "name", outcomes));
  });

  it("sorts large sets the same way as a plain comparison sort", () => {
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => [
      i + 1,
      `test ${(i * 7919) % 5000}`,
      `suite${i % 13}`,
      [2, 3, 6][i % 3]!,
      i % 17 === 0 ? null : (i * 104729) % 100_000,
      null,
    ]);
    const big = fromCompact(compact(rows));
    const plain = (key: (i: number) => number | string) =>
      Array.from({ length: big.count }, (_, i) => i).sort((a, b) => {
        const x = key(a);
        const y = key(b);
        return x < y ? -1 : x > y ? 1 : a - b;
      });
    expect(Array.from(sortOrder(big, "duration", outcomes))).toEqual(
      plain((i) => (Number.isNaN(big.elapsed[i]!) ? -1 : big.elapsed[i]!)),
    );
    expect(Array.from(sortOrder(big, "name", outcomes))).toEqual(plain((i) => nameOf(big, i)));
    expect(Array.from(sortOrder(big, "status", outcomes))).toEqual(
      plain((i) => outcomes(big.statusIds[i]!) * 1000 + big.statusIds[i]!),
    );
  });
});

describe("filters and search", () => {
  it("keeps the chosen statuses; the chips count every status of the search", () => {
    const view = computeView(data, outcomes, options({ statuses: [3, 9] }));
    expect(names(data, view.items)).toEqual(["refunds", "pays by card", "Totals"]);
    expect(view.matched).toBe(3);
    expect(Object.fromEntries(view.statusCounts)).toEqual({ 1: 1, 2: 2, 3: 2, 6: 1, 9: 1 });
  });

  it("searches names and folders, ignoring case; every word must match", () => {
    expect(
      names(data, computeView(data, outcomes, options({ query: "PAYS", sort: "name", desc: false })).items),
    ).toEqual(["pays by card", "pays by invoice"]);
    // "cart" is the folder of two tests and in the name of another
    expect(
      names(data, computeView(data, outcomes, options({ query: "cart", sort: "name", desc: false })).items),
    ).toEqual(["CART badge", "Totals", "adds items"]);
    const both = computeView(data, outcomes, options({ query: "  payments   by ", statuses: [2] }));
    expect(names(data, both.items)).toEqual(["pays by invoice"]);
    expect(Object.fromEntries(both.statusCounts)).toEqual({ 1: 0, 2: 1, 3: 0, 6: 0, 9: 0 });
    expect(computeView(data, outcomes, options({ query: "nothing like it" })).matched).toBe(0);
  });

  it("finds words in names with one scan, each name once, whatever its case", () => {
    const hits = namesContaining(data, "pays");
    expect(Array.from(hits)).toEqual([0, 0, 0, 1, 0, 1, 0]);
    expect(Array.from(namesContaining(data, "s"))).toEqual([1, 1, 1, 1, 1, 1, 0]);
    // a name's end never runs into the next name
    expect(Array.from(namesContaining(data, "itemstotals"))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("searches names whose lower case has another length (İ), and names with newlines", () => {
    const odd = fromCompact(
      compact([
        [1, "İstanbul", "a", 2, 1, null],
        [2, "two\nlines", "a", 2, 1, null],
      ]),
    );
    expect(odd.lowerText).toBeNull();
    expect(nameOf(odd, 1)).toBe("two lines");
    expect(computeView(odd, outcomes, options({ query: "stanbul" })).matched).toBe(1);
    expect(computeView(odd, outcomes, options({ query: "two lines" })).matched).toBe(1);
  });

  it("treats search text as text", () => {
    const hostile = fromCompact(compact([[1, "<img src=x onerror=alert(1)>", "a.b", 3, 1, null]]));
    expect(computeView(hostile, outcomes, options({ query: "<IMG src" })).matched).toBe(1);
    expect(computeView(hostile, outcomes, options({ query: ".*" })).matched).toBe(0);
    expect(searchTerms("  A b\tC ")).toEqual(["a", "b", "c"]);
  });
});

describe("grouping", () => {
  it("groups by folder, folders by name, tests in the view's order, with failed counts", () => {
    const view = computeView(data, outcomes, options({ group: "folder", sort: "name", desc: false }));
    expect(view.groups.map((g) => [data.folders[g.id], g.count, g.failed])).toEqual([
      ["cart", 2, 1],
      ["checkout", 2, 1],
      ["header", 1, 0],
      ["payments", 2, 1],
    ]);
    expect(names(data, view.items)).toEqual([
      "#0",
      "Totals",
      "adds items",
      "#1",
      "applies coupon",
      "pays by card",
      "#2",
      "CART badge",
      "#3",
      "pays by invoice",
      "refunds",
    ]);
  });

  it("groups by failure group, largest first, tests without a group last; collapsed groups hide their tests", () => {
    const view = computeView(
      data,
      outcomes,
      options({ group: "failure_group", collapsed: new Set(["g0"]), sort: "name", desc: false }),
    );
    expect(view.groups.map((g) => [g.key, g.count, g.collapsed])).toEqual([
      ["g7", 2, false],
      ["g8", 1, false],
      ["g0", 4, true],
    ]);
    expect(names(data, view.items)).toEqual(["#0", "Totals", "pays by card", "#1", "refunds", "#2"]);
    expect(view.matched).toBe(7);
  });

  it("groups only what the filters keep", () => {
    const view = computeView(data, outcomes, options({ group: "folder", statuses: [3] }));
    expect(view.groups.map((g) => data.folders[g.id])).toEqual(["cart", "checkout"]);
  });
});

describe("statuses and URL values", () => {
  it("orders chips failures first, then passes, then the rest", () => {
    expect(chipOrder([6, 2, 9, 3, 1, 42], outcomes)).toEqual([3, 9, 2, 1, 6, 42]);
  });

  it("treats unknown statuses by the default ids", () => {
    const bare = outcomesOf([]);
    expect([bare(2), bare(3), bare(6)]).toEqual([2, 3, 1]);
  });

  it("parses the status list of the URL", () => {
    expect(parseStatusList("3, 6,x,3,-1,0")).toEqual([3, 6]);
    expect(parseStatusList(undefined)).toEqual([]);
  });
});
