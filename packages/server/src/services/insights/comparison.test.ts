import { describe, expect, it } from "vitest";
import type { NarrowTestRow } from "../../storage/repositories/comparison-tests.js";
import type { ComparisonTestRow } from "../../storage/repositories/insight-runs.js";
import {
  classifyTests,
  describeListed,
  isMarkedlySlower,
  leastK,
  type MergeInput,
  mergeComparison,
  pickListed,
  rowsToDescribe,
  rowsToName,
} from "./comparison.js";

const PASSED = 2;
const FAILED = 3;
const SKIPPED = 6;

function row(caseId: number, statusId: number, elapsed: number | null = 1000, extra: Partial<ComparisonTestRow> = {}) {
  return {
    case_id: caseId,
    name: `test ${caseId}`,
    folder: "suite",
    status_id: statusId,
    elapsed,
    message: statusId === FAILED ? `failure of ${caseId}` : null,
    failure_group_id: statusId === FAILED ? 100 + caseId : null,
    ...extra,
  } satisfies ComparisonTestRow;
}

function merge(run: ComparisonTestRow[], baseline: ComparisonTestRow[] | null, options: Partial<MergeInput> = {}) {
  return mergeComparison({
    run,
    baseline,
    isFailed: (id) => id === FAILED,
    isPassed: (id) => id === PASSED,
    quarantined: new Set(),
    limit: 50,
    ...options,
  });
}

const ids = (tests: { automation_case_id: number }[]) => tests.map((t) => t.automation_case_id);

describe("run comparison merge", () => {
  it("sorts each test identity into its categories", async () => {
    const baseline = [row(1, PASSED), row(2, PASSED), row(3, FAILED), row(4, FAILED), row(5, PASSED), row(6, FAILED)];
    const run = [row(1, PASSED), row(2, FAILED), row(3, PASSED), row(4, FAILED), row(7, PASSED), row(8, FAILED)];
    const result = await merge(run, baseline);
    expect(result.counts).toEqual({
      new_failures: 2,
      still_failing: 1,
      fixed: 1,
      new_tests: 2,
      gone_tests: 2,
      slower: 0,
    });
    expect(ids(result.tests.new_failures)).toEqual([2, 8]);
    expect(ids(result.tests.still_failing)).toEqual([4]);
    expect(ids(result.tests.fixed)).toEqual([3]);
    expect(ids(result.tests.new_tests)).toEqual([7, 8]);
    expect(ids(result.tests.gone_tests)).toEqual([5, 6]);
    expect(result.failures).toEqual({ total: 3, quarantined: 0, unquarantined: 3 });
  });

  it("describes each test from both runs", async () => {
    const result = await merge([row(1, FAILED, 5000)], [row(1, PASSED, 4000), row(2, FAILED, 10)]);
    expect(result.tests.new_failures[0]).toEqual({
      automation_case_id: 1,
      name: "test 1",
      folder: "suite",
      status_id: FAILED,
      baseline_status_id: PASSED,
      elapsed: 5000,
      baseline_elapsed: 4000,
      message: "failure of 1",
      failure_group_id: 101,
      is_quarantined: false,
    });
    // A gone test is described by its baseline result.
    expect(result.tests.gone_tests[0]).toMatchObject({
      automation_case_id: 2,
      status_id: null,
      baseline_status_id: FAILED,
      elapsed: null,
      baseline_elapsed: 10,
      message: "failure of 2",
    });
  });

  it("counts a retried test once, by its last result, in the run and in the baseline", async () => {
    const baseline = [row(1, PASSED), row(1, FAILED), row(2, FAILED), row(2, PASSED)];
    const run = [row(1, FAILED), row(1, PASSED), row(2, PASSED), row(2, FAILED)];
    const result = await merge(run, baseline);
    expect(ids(result.tests.fixed)).toEqual([1]);
    expect(ids(result.tests.new_failures)).toEqual([2]);
    expect(result.counts.new_tests).toBe(0);
    expect(result.failures.total).toBe(1);
  });

  it("a failure that turns into a skip is neither fixed nor failing", async () => {
    const result = await merge([row(1, SKIPPED)], [row(1, FAILED)]);
    expect(result.counts).toMatchObject({ fixed: 0, still_failing: 0, new_failures: 0 });
  });

  it("without a baseline every test is new and every failure a new failure", async () => {
    const result = await merge([row(1, PASSED), row(2, FAILED), row(3, SKIPPED)], null);
    expect(result.counts).toEqual({
      new_failures: 1,
      still_failing: 0,
      fixed: 0,
      new_tests: 3,
      gone_tests: 0,
      slower: 0,
    });
  });

  it("splits the run's failures by quarantine and flags quarantined tests", async () => {
    const run = [row(1, FAILED), row(2, FAILED), row(3, PASSED)];
    const result = await merge(run, [row(1, FAILED)], { quarantined: new Set([1, 3, 9]) });
    expect(result.failures).toEqual({ total: 2, quarantined: 1, unquarantined: 1 });
    expect(result.tests.still_failing[0]!.is_quarantined).toBe(true);
    expect(result.tests.new_failures[0]!.is_quarantined).toBe(false);
  });

  it("reports markedly slower tests only: ≥ 1.5× and ≥ 100 ms more, most extra time first", async () => {
    expect(isMarkedlySlower(300_000, 200_000)).toBe(true);
    expect(isMarkedlySlower(299_999, 200_000)).toBe(false); // under 1.5×
    expect(isMarkedlySlower(150_000, 60_000)).toBe(false); // 2.5× but only 90 ms more
    expect(isMarkedlySlower(100_000, 0)).toBe(true);
    expect(isMarkedlySlower(null, 1)).toBe(false);
    expect(isMarkedlySlower(1_000_000, null)).toBe(false);
    const baseline = [row(1, PASSED, 200_000), row(2, PASSED, 1_000_000), row(3, PASSED, 60_000), row(4, PASSED, null)];
    const run = [row(1, PASSED, 400_000), row(2, FAILED, 3_000_000), row(3, PASSED, 150_000), row(4, PASSED, 900_000)];
    const result = await merge(run, baseline);
    expect(ids(result.tests.slower)).toEqual([2, 1]);
    expect(result.counts.slower).toBe(2);
  });

  it("lists at most `limit` tests per category, by name, while counts stay complete", async () => {
    const run = Array.from({ length: 30 }, (_, i) =>
      row(i + 1, FAILED, 1000, { name: `t${String(30 - i).padStart(2, "0")}` }),
    );
    const result = await merge(run, null, { limit: 5 });
    expect(result.counts.new_failures).toBe(30);
    expect(result.counts.new_tests).toBe(30);
    expect(result.tests.new_failures.map((t) => t.name)).toEqual(["t01", "t02", "t03", "t04", "t05"]);
    expect(result.tests.new_tests).toHaveLength(5);
    expect(result.failures.total).toBe(30);
  });

  it("lists only the categories asked for, and keeps every count", async () => {
    const run = [row(1, FAILED), row(2, PASSED)];
    const result = await merge(run, null, { limit: 1, categories: ["new_failures"] });
    expect(result.counts).toMatchObject({ new_failures: 1, new_tests: 2 });
    expect(ids(result.tests.new_failures)).toEqual([1]);
    expect(result.tests.new_tests).toEqual([]);
  });

  it("orders equal names by folder, then by id", async () => {
    const run = [row(3, FAILED, 1, { name: "x", folder: "b" }), row(2, FAILED, 1, { name: "x", folder: "a" })];
    const more = [row(5, FAILED, 1, { name: "x", folder: "a" })];
    expect(ids((await merge([...run, ...more], null)).tests.new_failures)).toEqual([2, 5, 3]);
  });
});

describe("run comparison steps on narrow rows", () => {
  const judge = {
    isFailed: (id: number) => id === FAILED,
    isPassed: (id: number) => id === PASSED,
    quarantined: new Set<number>(),
  };
  /** [row id, case id, status, elapsed] */
  const narrow = (id: number, caseId: number, statusId: number, elapsed: number | null = 1000): NarrowTestRow => [
    id,
    caseId,
    statusId,
    elapsed,
  ];

  it("takes a test's result with the highest id, whatever the order the rows come in", () => {
    const run = [narrow(12, 1, PASSED), narrow(10, 1, FAILED), narrow(11, 2, FAILED), narrow(9, 2, PASSED)];
    const classified = classifyTests({ ...judge, run, baseline: [narrow(2, 1, FAILED), narrow(1, 2, PASSED)] });
    expect(classified.members.fixed).toEqual([1]);
    expect(classified.members.new_failures).toEqual([2]);
    expect(classified.failures.total).toBe(1);
  });

  it("names only the candidates of categories with more tests than the limit, never those of slower", () => {
    const baseline = [narrow(1, 1, PASSED, 1), narrow(2, 2, PASSED, 1), narrow(3, 3, FAILED), narrow(4, 4, PASSED)];
    const run = [narrow(11, 1, PASSED, 900_000), narrow(12, 2, PASSED, 900_000), narrow(13, 3, PASSED)];
    const classified = classifyTests({ ...judge, run, baseline });
    expect(classified.counts).toMatchObject({ slower: 2, fixed: 1, gone_tests: 1 });
    expect(rowsToName(classified, 1)).toEqual([]);
    const more = classifyTests({ ...judge, run: [...run, narrow(14, 5, FAILED), narrow(15, 6, PASSED)], baseline });
    // new_tests (5, 6) and nothing else is over the limit of 1; new_failures has one test.
    expect(rowsToName(more, 1).sort()).toEqual([14, 15]);
  });

  it("lists the most grown of more slower tests than the limit, ties by case id, from narrow rows alone", () => {
    const baseline = [1, 2, 3, 4, 5].map((c) => narrow(c, c, PASSED, 100_000));
    const grown = { 1: 300_000, 2: 500_000, 3: 500_000, 4: 400_000, 5: 100_000 } as Record<number, number>;
    const run = [5, 4, 3, 2, 1].map((c) => narrow(10 + c, c, PASSED, grown[c]!));
    const classified = classifyTests({ ...judge, run, baseline });
    const listed = pickListed(classified, 3, new Map());
    expect(listed.slower).toEqual([2, 3, 4]);
    expect(rowsToDescribe(classified, listed).sort()).toEqual([12, 13, 14]);
  });

  it("answers 404 for a listed test whose row is gone (its run was deleted meanwhile)", () => {
    const classified = classifyTests({ ...judge, run: [narrow(1, 7, FAILED)], baseline: null });
    const listed = pickListed(classified, 5, new Map());
    expect(() => describeListed(classified, listed, new Map())).toThrow(
      expect.objectContaining({
        statusCode: 404,
        message: expect.stringMatching(/deleted while it was being compared/),
      }),
    );
  });
});

describe("leastK", () => {
  const numeric = (a: number, b: number) => a - b;

  it("gives the first k of the full sort, for every k", () => {
    // A fixed pseudo-random sequence with repeats, so the test is the same every run.
    let seed = 7;
    const items = Array.from({ length: 500 }, () => {
      seed = (seed * 48271) % 2147483647;
      return seed % 200;
    });
    const sorted = [...items].sort(numeric);
    for (const k of [0, 1, 2, 3, 10, 199, 499, 500, 600])
      expect(leastK(items, k, numeric), `k ${k}`).toEqual(sorted.slice(0, k));
  });

  it("works on input in order, in reverse order and empty", () => {
    const up = Array.from({ length: 100 }, (_, i) => i);
    expect(leastK(up, 5, numeric)).toEqual([0, 1, 2, 3, 4]);
    expect(leastK([...up].reverse(), 5, numeric)).toEqual([0, 1, 2, 3, 4]);
    expect(leastK([], 5, numeric)).toEqual([]);
  });

  it("does not change its input", () => {
    const items = [3, 1, 2];
    leastK(items, 2, numeric);
    leastK(items, 5, numeric);
    expect(items).toEqual([3, 1, 2]);
  });
});
