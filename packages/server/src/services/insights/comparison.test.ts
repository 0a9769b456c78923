import { describe, expect, it } from "vitest";
import type { ComparisonTestRow } from "../../storage/repositories/insight-runs.js";
import { isMarkedlySlower, type MergeInput, mergeComparison } from "./comparison.js";

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
  it("sorts each test identity into its categories", () => {
    const baseline = [row(1, PASSED), row(2, PASSED), row(3, FAILED), row(4, FAILED), row(5, PASSED), row(6, FAILED)];
    const run = [row(1, PASSED), row(2, FAILED), row(3, PASSED), row(4, FAILED), row(7, PASSED), row(8, FAILED)];
    const result = merge(run, baseline);
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

  it("describes each test from both runs", () => {
    const result = merge([row(1, FAILED, 5000)], [row(1, PASSED, 4000), row(2, FAILED, 10)]);
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

  it("counts a retried test once, by its last result, in the run and in the baseline", () => {
    const baseline = [row(1, PASSED), row(1, FAILED), row(2, FAILED), row(2, PASSED)];
    const run = [row(1, FAILED), row(1, PASSED), row(2, PASSED), row(2, FAILED)];
    const result = merge(run, baseline);
    expect(ids(result.tests.fixed)).toEqual([1]);
    expect(ids(result.tests.new_failures)).toEqual([2]);
    expect(result.counts.new_tests).toBe(0);
    expect(result.failures.total).toBe(1);
  });

  it("a failure that turns into a skip is neither fixed nor failing", () => {
    const result = merge([row(1, SKIPPED)], [row(1, FAILED)]);
    expect(result.counts).toMatchObject({ fixed: 0, still_failing: 0, new_failures: 0 });
  });

  it("without a baseline every test is new and every failure a new failure", () => {
    const result = merge([row(1, PASSED), row(2, FAILED), row(3, SKIPPED)], null);
    expect(result.counts).toEqual({
      new_failures: 1,
      still_failing: 0,
      fixed: 0,
      new_tests: 3,
      gone_tests: 0,
      slower: 0,
    });
  });

  it("splits the run's failures by quarantine and flags quarantined tests", () => {
    const run = [row(1, FAILED), row(2, FAILED), row(3, PASSED)];
    const result = merge(run, [row(1, FAILED)], { quarantined: new Set([1, 3, 9]) });
    expect(result.failures).toEqual({ total: 2, quarantined: 1, unquarantined: 1 });
    expect(result.tests.still_failing[0]!.is_quarantined).toBe(true);
    expect(result.tests.new_failures[0]!.is_quarantined).toBe(false);
  });

  it("reports markedly slower tests only: ≥ 1.5× and ≥ 100 ms more, most extra time first", () => {
    expect(isMarkedlySlower(300_000, 200_000)).toBe(true);
    expect(isMarkedlySlower(299_999, 200_000)).toBe(false); // under 1.5×
    expect(isMarkedlySlower(150_000, 60_000)).toBe(false); // 2.5× but only 90 ms more
    expect(isMarkedlySlower(100_000, 0)).toBe(true);
    expect(isMarkedlySlower(null, 1)).toBe(false);
    expect(isMarkedlySlower(1_000_000, null)).toBe(false);
    const baseline = [row(1, PASSED, 200_000), row(2, PASSED, 1_000_000), row(3, PASSED, 60_000), row(4, PASSED, null)];
    const run = [row(1, PASSED, 400_000), row(2, FAILED, 3_000_000), row(3, PASSED, 150_000), row(4, PASSED, 900_000)];
    const result = merge(run, baseline);
    expect(ids(result.tests.slower)).toEqual([2, 1]);
    expect(result.counts.slower).toBe(2);
  });

  it("lists at most `limit` tests per category, by name, while counts stay complete", () => {
    const run = Array.from({ length: 30 }, (_, i) =>
      row(i + 1, FAILED, 1000, { name: `t${String(30 - i).padStart(2, "0")}` }),
    );
    const result = merge(run, null, { limit: 5 });
    expect(result.counts.new_failures).toBe(30);
    expect(result.counts.new_tests).toBe(30);
    expect(result.tests.new_failures.map((t) => t.name)).toEqual(["t01", "t02", "t03", "t04", "t05"]);
    expect(result.tests.new_tests).toHaveLength(5);
    expect(result.failures.total).toBe(30);
  });

  it("orders equal names by folder, then by id", () => {
    const run = [row(3, FAILED, 1, { name: "x", folder: "b" }), row(2, FAILED, 1, { name: "x", folder: "a" })];
    const more = [row(5, FAILED, 1, { name: "x", folder: "a" })];
    expect(ids(merge([...run, ...more], null).tests.new_failures)).toEqual([2, 5, 3]);
  });
});
