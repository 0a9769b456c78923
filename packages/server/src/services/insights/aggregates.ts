import { type InsightSettings, TestOutcome } from "@assay/api";

/**
 * The per-test aggregates that every append keeps current (docs/analytics.md).
 * Pure: ingest applies one result at a time; retention and the backfill
 * rebuild a state from history with the same function, so the figures agree.
 */

/** How many outcomes and elapsed values a test keeps: the largest flaky window, and the p95 sample. */
export const MAX_RECENT_OUTCOMES = 100;
export const RECENT_ELAPSED = 30;

export interface CaseAggregates {
  status: number;
  result_count: number;
  success_count: number;
  failure_count: number;
  skipped_count: number;
  elapsed_count: number;
  elapsed_total: number;
  recent_elapsed: number[];
  recent_outcomes: string;
  last_commit_key: string | null;
  last_commit_outcomes: number;
  last_run_id: number | null;
  last_failure_group_id: number | null;
  last_result_at: string | null;
  last_failed_at: string | null;
  last_passed_at: string | null;
}

/** Columns derived from the aggregates and the project's settings, stored for indexed sorting. */
export interface DerivedFigures {
  elapsed_average: number;
  elapsed_p95: number;
  elapsed_change_percent: number | null;
  flaky_percent: number;
  is_flaky: 0 | 1;
}

export interface ResultFact {
  runId: number;
  /** TestOutcome: 1 neutral (skipped, untested, …), 2 success, 3 failure */
  outcome: number;
  elapsed: number | null;
  /** the run's commit, or `run:<id>` when it has none: retries within a run count as one commit */
  commitKey: string;
  failureGroupId: number | null;
  at: string;
}

export function emptyAggregates(): CaseAggregates {
  return {
    status: TestOutcome.neutral,
    result_count: 0,
    success_count: 0,
    failure_count: 0,
    skipped_count: 0,
    elapsed_count: 0,
    elapsed_total: 0,
    recent_elapsed: [],
    recent_outcomes: "",
    last_commit_key: null,
    last_commit_outcomes: 0,
    last_run_id: null,
    last_failure_group_id: null,
    last_result_at: null,
    last_failed_at: null,
    last_passed_at: null,
  };
}

export function commitKey(commitSha: string | null, runId: number): string {
  return commitSha ?? `run:${runId}`;
}

const OUTCOME_BIT = { [TestOutcome.success]: 1, [TestOutcome.failure]: 2 } as Record<number, number>;

/** Applies one result, newer than every result applied before, in place. */
export function applyResult(state: CaseAggregates, fact: ResultFact): void {
  state.result_count++;
  state.status = fact.outcome;
  state.last_run_id = fact.runId;
  state.last_result_at = fact.at;
  if (fact.elapsed !== null) {
    state.elapsed_count++;
    state.elapsed_total += fact.elapsed;
    state.recent_elapsed.push(fact.elapsed);
    if (state.recent_elapsed.length > RECENT_ELAPSED) state.recent_elapsed.shift();
  }
  const bit = OUTCOME_BIT[fact.outcome];
  if (bit === undefined) {
    state.skipped_count++;
    return;
  }
  if (fact.outcome === TestOutcome.success) {
    state.success_count++;
    state.last_passed_at = fact.at;
  } else {
    state.failure_count++;
    state.last_failed_at = fact.at;
    state.last_failure_group_id = fact.failureGroupId;
  }
  state.recent_outcomes = appendOutcome(state, fact.commitKey, bit).slice(-MAX_RECENT_OUTCOMES);
}

/** "P"/"F", lower case when this outcome contradicts one seen before on the same commit. */
function appendOutcome(state: CaseAggregates, key: string, bit: number): string {
  let contradicts = false;
  if (state.last_commit_key === key) {
    contradicts = (state.last_commit_outcomes & bit) === 0;
    state.last_commit_outcomes |= bit;
  } else {
    state.last_commit_key = key;
    state.last_commit_outcomes = bit;
  }
  const letter = bit === 1 ? "P" : "F";
  return state.recent_outcomes + (contradicts ? letter.toLowerCase() : letter);
}

const LOWER_CASE_BIT = 0x20;

export interface Flakiness {
  flaky_percent: number;
  is_flaky: boolean;
  reasons: ("same_commit" | "flip_rate")[];
}

/** Flip rate over the last `flaky_window` outcomes, and the same-commit mark within them. */
export function flakiness(recentOutcomes: string, settings: InsightSettings): Flakiness {
  const window = recentOutcomes.slice(-settings.flaky_window);
  let flips = 0;
  let sameCommit = false;
  for (let i = 0; i < window.length; i++) {
    const code = window.charCodeAt(i);
    // ASCII: lower case letters have bit 0x20 set; "P"/"p" and "F"/"f" differ in the others.
    if (code & LOWER_CASE_BIT) sameCommit = true;
    if (i > 0 && (code | LOWER_CASE_BIT) !== (window.charCodeAt(i - 1) | LOWER_CASE_BIT)) flips++;
  }
  const flakyPercent = window.length > 1 ? Math.round((100 * flips) / (window.length - 1)) : 0;
  const reasons: Flakiness["reasons"] = [];
  if (sameCommit) reasons.push("same_commit");
  if (window.length >= settings.flaky_min_results && flakyPercent >= settings.flaky_threshold_percent) {
    reasons.push("flip_rate");
  }
  return { flaky_percent: flakyPercent, is_flaky: reasons.length > 0, reasons };
}

export function derive(state: CaseAggregates, settings: InsightSettings): DerivedFigures {
  const flaky = flakiness(state.recent_outcomes, settings);
  return {
    elapsed_average: state.elapsed_count > 0 ? Math.round(state.elapsed_total / state.elapsed_count) : 0,
    elapsed_p95: percentile(state.recent_elapsed, 0.95),
    elapsed_change_percent: elapsedChange(state.recent_elapsed),
    flaky_percent: flaky.flaky_percent,
    is_flaky: flaky.is_flaky ? 1 : 0,
  };
}

/** Nearest-rank percentile; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Median of the last 5 timed results against the median of the (up to) 25
 * before them, in percent. Medians, so one slow outlier does not count as a
 * trend; null below 10 timed results or when the earlier median is 0.
 */
export function elapsedChange(recent: readonly number[]): number | null {
  if (recent.length < 10) return null;
  const before = median(recent.slice(0, -5));
  if (before === 0) return null;
  return Math.round((100 * (median(recent.slice(-5)) - before)) / before);
}

/** The aggregate columns as stored (recent_elapsed as JSON text). */
export function toColumns(state: CaseAggregates, settings: InsightSettings) {
  return { ...state, recent_elapsed: JSON.stringify(state.recent_elapsed), ...derive(state, settings) };
}

export type StoredAggregates = Omit<CaseAggregates, "recent_elapsed"> & { recent_elapsed: string };

export function fromColumns(row: StoredAggregates): CaseAggregates {
  return { ...pickAggregates(row), recent_elapsed: JSON.parse(row.recent_elapsed) as number[] };
}

export const AGGREGATE_COLUMNS = [
  "status",
  "result_count",
  "success_count",
  "failure_count",
  "skipped_count",
  "elapsed_count",
  "elapsed_total",
  "recent_elapsed",
  "recent_outcomes",
  "last_commit_key",
  "last_commit_outcomes",
  "last_run_id",
  "last_failure_group_id",
  "last_result_at",
  "last_failed_at",
  "last_passed_at",
] as const satisfies readonly (keyof CaseAggregates)[];

export const DERIVED_COLUMNS = [
  "elapsed_average",
  "elapsed_p95",
  "elapsed_change_percent",
  "flaky_percent",
  "is_flaky",
] as const satisfies readonly (keyof DerivedFigures)[];

function pickAggregates(row: StoredAggregates): Omit<CaseAggregates, "recent_elapsed"> {
  const picked: Record<string, unknown> = {};
  for (const column of AGGREGATE_COLUMNS) if (column !== "recent_elapsed") picked[column] = row[column];
  return picked as Omit<CaseAggregates, "recent_elapsed">;
}
