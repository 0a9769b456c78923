import { COMPARISON_CATEGORIES, type ComparedTest, type ComparisonCategory } from "@assay/api";
import type { AppContext } from "../../context.js";
import { invalidField } from "../../errors.js";
import type { RunRow } from "../../storage/repositories/automation.js";
import { findRun } from "../../storage/repositories/automation.js";
import {
  type ComparisonTestRow,
  findBaselineRun,
  quarantinedCases,
  testsForComparison,
} from "../../storage/repositories/insight-runs.js";

/**
 * Run comparison (docs/analytics.md, "Run comparison"): a run against its
 * baseline, test identity by test identity. The merge is pure and runs in
 * memory over the two runs' test rows, so its cost grows with the size of the
 * runs, never with the project's history.
 */

/** "Markedly slower": at least this many times the baseline's elapsed… */
export const SLOWER_RATIO = 1.5;
/** …and at least this much longer (µs), so tiny tests' jitter is not reported. */
export const SLOWER_MIN_MICROS = 100_000;

export type Counts = Record<ComparisonCategory, number>;

export interface ComparisonFigures {
  counts: Counts;
  failures: { total: number; quarantined: number; unquarantined: number };
  tests: Record<ComparisonCategory, ComparedTest[]>;
}

export interface MergeInput {
  /** the run's test rows in insertion order */
  run: readonly ComparisonTestRow[];
  /** the baseline's test rows in insertion order; null without a baseline */
  baseline: readonly ComparisonTestRow[] | null;
  isFailed(statusId: number): boolean;
  isPassed(statusId: number): boolean;
  /** automation case ids under an active quarantine */
  quarantined: ReadonlySet<number>;
  /** most tests listed per category (the counts are always complete) */
  limit: number;
}

/** One result per test identity: the last one (retries within a run come later). */
function lastResults(rows: readonly ComparisonTestRow[]): Map<number, ComparisonTestRow> {
  const byCase = new Map<number, ComparisonTestRow>();
  for (const row of rows) byCase.set(row.case_id, row);
  return byCase;
}

export function isMarkedlySlower(elapsed: number | null, baseline: number | null): boolean {
  if (elapsed === null || baseline === null) return false;
  return elapsed >= baseline * SLOWER_RATIO && elapsed - baseline >= SLOWER_MIN_MICROS;
}

function byName(a: ComparedTest, b: ComparedTest): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.folder !== b.folder) return a.folder < b.folder ? -1 : 1;
  return a.automation_case_id - b.automation_case_id;
}

/** Most extra time first. */
function byGrowth(a: ComparedTest, b: ComparedTest): number {
  const growth = (t: ComparedTest) => (t.elapsed ?? 0) - (t.baseline_elapsed ?? 0);
  return growth(b) - growth(a) || a.automation_case_id - b.automation_case_id;
}

/** Sorts the categories into the tests the run and its baseline differ in. */
export function mergeComparison(input: MergeInput): ComparisonFigures {
  const now = lastResults(input.run);
  const before = input.baseline ? lastResults(input.baseline) : new Map<number, ComparisonTestRow>();
  const lists = Object.fromEntries(COMPARISON_CATEGORIES.map((c) => [c, [] as ComparedTest[]])) as Record<
    ComparisonCategory,
    ComparedTest[]
  >;
  const failures = { total: 0, quarantined: 0, unquarantined: 0 };

  const compared = (caseId: number, current: ComparisonTestRow | undefined, base: ComparisonTestRow | undefined) => {
    const shown = (current ?? base)!;
    return {
      automation_case_id: caseId,
      name: shown.name,
      folder: shown.folder,
      status_id: current?.status_id ?? null,
      baseline_status_id: base?.status_id ?? null,
      elapsed: current?.elapsed ?? null,
      baseline_elapsed: base?.elapsed ?? null,
      message: shown.message,
      failure_group_id: shown.failure_group_id,
      is_quarantined: input.quarantined.has(caseId),
    } satisfies ComparedTest;
  };

  for (const [caseId, current] of now) {
    const base = before.get(caseId);
    const failed = input.isFailed(current.status_id);
    const test = compared(caseId, current, base);
    if (failed) {
      failures.total++;
      if (test.is_quarantined) failures.quarantined++;
    }
    if (!base) {
      lists.new_tests.push(test);
      if (failed) lists.new_failures.push(test);
      continue;
    }
    const failedBefore = input.isFailed(base.status_id);
    if (failed && failedBefore) lists.still_failing.push(test);
    else if (failed) lists.new_failures.push(test);
    else if (failedBefore && input.isPassed(current.status_id)) lists.fixed.push(test);
    if (isMarkedlySlower(current.elapsed, base.elapsed)) lists.slower.push(test);
  }
  for (const [caseId, base] of before) {
    if (!now.has(caseId)) lists.gone_tests.push(compared(caseId, undefined, base));
  }
  failures.unquarantined = failures.total - failures.quarantined;

  const counts = {} as Counts;
  for (const category of COMPARISON_CATEGORIES) {
    const list = lists[category];
    counts[category] = list.length;
    list.sort(category === "slower" ? byGrowth : byName);
    lists[category] = list.slice(0, input.limit);
  }
  return { counts, failures, tests: lists };
}

export type ComparisonRule = "requested" | "same_branch_and_config" | "same_source" | "none";

export interface RunComparisonData extends ComparisonFigures {
  run: RunRow;
  baseline: RunRow | null;
  rule: ComparisonRule;
}

/**
 * Compares a run (open or completed: what has arrived so far) with the run
 * asked for, or else with its automatic baseline.
 */
export async function compareRun(
  ctx: AppContext,
  run: RunRow,
  options: { baselineId?: number; limit: number },
): Promise<RunComparisonData> {
  const { db } = ctx.storage;
  let baseline: RunRow | null = null;
  let rule: ComparisonRule = "none";
  if (options.baselineId !== undefined) {
    baseline = await requestedBaseline(ctx, run, options.baselineId);
    rule = "requested";
  } else {
    const found = await findBaselineRun(db, run);
    if (found) {
      baseline = found.row;
      rule = found.rule;
    }
  }
  const [runTests, baselineTests, quarantined] = await Promise.all([
    testsForComparison(db, run.id),
    baseline ? testsForComparison(db, baseline.id) : Promise.resolve(null),
    quarantinedCases(db, run.project_id, new Date().toISOString()),
  ]);
  const byId = new Map(ctx.statuses.all.map((s) => [s.id, s]));
  const figures = mergeComparison({
    run: runTests,
    baseline: baselineTests,
    isFailed: (id) => byId.get(id)?.is_failed === true,
    isPassed: (id) => byId.get(id)?.is_passed === true,
    quarantined,
    limit: options.limit,
  });
  return { run, baseline, rule, ...figures };
}

async function requestedBaseline(ctx: AppContext, run: RunRow, baselineId: number): Promise<RunRow> {
  if (baselineId === run.id) {
    throw invalidField("baseline_id", `Automation run ${run.id} cannot be its own baseline. Name another run.`);
  }
  const baseline = await findRun(ctx.storage.db, baselineId);
  if (!baseline) throw invalidField("baseline_id", `Automation run ${baselineId} does not exist.`);
  if (baseline.project_id !== run.project_id) {
    throw invalidField(
      "baseline_id",
      `Automation run ${baselineId} is not a run of project ${run.project_id}: the baseline must be a run of the same project.`,
    );
  }
  return baseline;
}
