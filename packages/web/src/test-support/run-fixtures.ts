import type {
  AutomationRunTest,
  CompactRunTests,
  ComparedRun,
  ComparedTest,
  RunComparison,
  RunTestDetail,
} from "@assay/api";

/** API objects of the run page (`/automation/runs/:id`), for component tests. */

export function comparedRun(overrides: Partial<ComparedRun> = {}): ComparedRun {
  return {
    id: 75,
    name: "CI build 75",
    source_id: 2,
    config_id: null,
    commit_sha: "3f2a9c1e5b7d4f60a8c2e1b3d5f7a9c0e2b4d6f8",
    branch: "main",
    is_completed: true,
    created_at: "2026-11-30T08:02:21.331Z",
    ...overrides,
  };
}

export function comparedTest(overrides: Partial<ComparedTest> = {}): ComparedTest {
  return {
    automation_case_id: 501,
    name: "totals",
    folder: "cart",
    status_id: 3,
    baseline_status_id: 2,
    elapsed: 5_000,
    baseline_elapsed: 4_000,
    message: "expected 3 but was 4",
    failure_group_id: 9,
    is_quarantined: false,
    ...overrides,
  };
}

export function comparison(overrides: Partial<RunComparison> = {}): RunComparison {
  return {
    run: comparedRun(),
    baseline: comparedRun({ id: 74, name: "CI build 74", commit_sha: "1111111111111111111111111111111111111111" }),
    baseline_rule: "same_branch_and_config",
    counts: { new_failures: 1, still_failing: 1, fixed: 1, new_tests: 0, gone_tests: 0, slower: 1 },
    failures: { total: 2, quarantined: 1, unquarantined: 1 },
    tests: {
      new_failures: [comparedTest()],
      still_failing: [
        comparedTest({
          automation_case_id: 502,
          name: "pays by card",
          baseline_status_id: 3,
          message: "card declined",
          is_quarantined: true,
        }),
      ],
      fixed: [
        comparedTest({ automation_case_id: 503, name: "refunds", status_id: 2, baseline_status_id: 3, message: null }),
      ],
      new_tests: [],
      gone_tests: [],
      slower: [
        comparedTest({
          automation_case_id: 504,
          name: "exports a report",
          status_id: 2,
          elapsed: 2_400_000,
          baseline_elapsed: 800_000,
          message: null,
        }),
      ],
    },
    ...overrides,
  };
}

/** [name, folder, status id, elapsed, message, failure group] per test; ids from 1001, cases from 501. */
export type CompactRow = [string, string, number, number | null, string | null, number | null];

export function compact(rows: CompactRow[], runId = 75): CompactRunTests {
  const folders: string[] = [];
  return {
    automation_run_id: runId,
    total: rows.length,
    ids: rows.map((_, i) => 1001 + i),
    case_ids: rows.map((_, i) => 501 + i),
    names: rows.map((r) => r[0]),
    folders,
    folder_index: rows.map((r) => {
      if (!folders.includes(r[1])) folders.push(r[1]);
      return folders.indexOf(r[1]);
    }),
    status_ids: rows.map((r) => r[2]),
    elapsed: rows.map((r) => r[3]),
    failure_group_ids: rows.map((r) => r[5]),
    messages: rows.map((r) => r[4]),
  };
}

/** The §7 objects of the same rows (for the first page). */
export function runTests(rows: CompactRow[], runId = 75): AutomationRunTest[] {
  return rows.map((r, i) => ({
    id: 1001 + i,
    project_id: 1,
    automation_run_id: runId,
    automation_run_thread_id: 1,
    automation_case_id: 501 + i,
    repository_case_id: null,
    key: `k${i}`,
    name: r[0],
    folder: r[1],
    status: r[2] === 3 ? 3 : r[2] === 2 ? 2 : 1,
    status_id: r[2],
    elapsed: r[3],
    file: null,
    line: null,
    assertions: null,
    message: r[4],
    failure_group_id: r[5],
    created_at: "2026-11-30T08:02:21.331Z",
  }));
}

export function runTestDetail(overrides: Partial<RunTestDetail> = {}): RunTestDetail {
  return {
    ...runTests([["totals", "cart", 3, 5_000, "expected 3 but was 4", 9]])[0]!,
    file: "test/cart.test.js",
    line: 12,
    fields: [],
    artifacts: [],
    ...overrides,
  };
}

export const STATUSES = [
  { id: 1, name: "Untested", system_name: "untested", is_passed: false, is_failed: false },
  { id: 2, name: "Passed", system_name: "passed", is_passed: true, is_failed: false },
  { id: 3, name: "Failed", system_name: "failed", is_passed: false, is_failed: true },
  { id: 6, name: "Skipped", system_name: "skipped", is_passed: false, is_failed: false },
];

/** Rows of a small run: failures (one with hostile text), passes, a skip. */
export const ROWS: CompactRow[] = [
  ["adds items", "cart", 2, 1_200, null, null],
  ["totals", "cart", 3, 5_000, "expected 3 but was 4", 9],
  ["applies coupon", "checkout", 6, null, null, null],
  ['<img src=x onerror="window.__xss=1"> renders', "checkout", 3, 800, "<script>window.__xss=2</script>", 9],
  ["pays by invoice", "payments", 2, 300, null, null],
];
