import { DEFAULT_INSIGHT_SETTINGS, TestOutcome } from "@assay/api";
import { describe, expect, it } from "vitest";
import {
  applyResult,
  type CaseAggregates,
  derive,
  elapsedChange,
  emptyAggregates,
  flakiness,
  fromColumns,
  percentile,
  toColumns,
} from "./aggregates.js";

const { success: P, failure: F, neutral: N } = TestOutcome;

/** Replays outcomes as results of consecutive runs, each its own commit unless given. */
function replay(outcomes: { outcome: number; commit?: string; elapsed?: number; run?: number }[]): CaseAggregates {
  const state = emptyAggregates();
  outcomes.forEach((o, i) => {
    const run = o.run ?? i + 1;
    applyResult(state, {
      runId: run,
      outcome: o.outcome,
      elapsed: o.elapsed ?? null,
      commitKey: o.commit ?? `run:${run}`,
      failureGroupId: o.outcome === F ? 7 : null,
      at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    });
  });
  return state;
}

describe("applyResult", () => {
  it("counts outcomes, keeps the latest status and times of the last pass and failure", () => {
    const state = replay([{ outcome: P }, { outcome: F }, { outcome: N }, { outcome: P }]);
    expect(state).toMatchObject({
      result_count: 4,
      success_count: 2,
      failure_count: 1,
      skipped_count: 1,
      status: P,
      recent_outcomes: "PFP",
      last_failure_group_id: 7,
      last_failed_at: "2026-01-02T00:00:00.000Z",
      last_passed_at: "2026-01-04T00:00:00.000Z",
    });
  });

  it("marks a result that contradicts an earlier one on the same commit (a retry in one run, or a re-run)", () => {
    const retry = replay([
      { outcome: F, run: 1 },
      { outcome: P, run: 1 },
    ]);
    expect(retry.recent_outcomes).toBe("Fp");
    const rerun = replay([
      { outcome: P, commit: "abc" },
      { outcome: F, commit: "abc" },
      { outcome: F, commit: "abc" },
    ]);
    expect(rerun.recent_outcomes).toBe("PfF");
    const newCommit = replay([
      { outcome: P, commit: "abc" },
      { outcome: F, commit: "def" },
    ]);
    expect(newCommit.recent_outcomes).toBe("PF");
  });

  it("keeps at most 100 outcomes and 30 elapsed values", () => {
    const state = replay(Array.from({ length: 130 }, (_, i) => ({ outcome: i % 2 ? P : F, elapsed: i })));
    expect(state.recent_outcomes).toHaveLength(100);
    expect(state.recent_elapsed).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    expect(state.elapsed_total).toBe((129 * 130) / 2);
  });
});

describe("flakiness", () => {
  const settings = DEFAULT_INSIGHT_SETTINGS;

  it("is the flip rate over the window: flips ÷ (n − 1)", () => {
    expect(flakiness("PFPFP", settings)).toEqual({ flaky_percent: 100, is_flaky: true, reasons: ["flip_rate"] });
    expect(flakiness("PPPPPPPPPF", settings)).toMatchObject({ flaky_percent: 11, is_flaky: true });
    expect(flakiness("P".repeat(30), settings)).toEqual({ flaky_percent: 0, is_flaky: false, reasons: [] });
  });

  it("needs flaky_min_results outcomes before the flip rate counts", () => {
    expect(flakiness("PFPF", settings)).toMatchObject({ flaky_percent: 100, is_flaky: false });
  });

  it("looks only at the last flaky_window outcomes", () => {
    const old = `${"PF".repeat(20)}${"P".repeat(30)}`;
    expect(flakiness(old, settings)).toMatchObject({ flaky_percent: 0, is_flaky: false });
    expect(flakiness(old, { ...settings, flaky_window: 40 })).toMatchObject({ is_flaky: true });
  });

  it("flags a same-commit contradiction inside the window even with a low flip rate", () => {
    expect(flakiness(`${"P".repeat(20)}Fp${"P".repeat(8)}`, settings)).toEqual({
      flaky_percent: 7,
      is_flaky: true,
      reasons: ["same_commit"],
    });
  });
});

describe("elapsed figures", () => {
  it("p95 is the nearest-rank percentile", () => {
    expect(percentile([], 0.95)).toBe(0);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(19);
    expect(percentile([5], 0.95)).toBe(5);
  });

  it("change compares the median of the last 5 with the median of those before", () => {
    expect(elapsedChange([1, 2, 3])).toBeNull();
    expect(elapsedChange([...Array(10).fill(100), ...Array(5).fill(150)])).toBe(50);
    // one slow outlier among the last five is not a trend
    expect(elapsedChange([...Array(10).fill(100), 100, 100, 900, 100, 100])).toBe(0);
  });

  it("derive gives the stored columns and round-trips through them", () => {
    const state = replay([
      { outcome: P, elapsed: 1000 },
      { outcome: F, elapsed: 3000 },
    ]);
    expect(derive(state, DEFAULT_INSIGHT_SETTINGS)).toEqual({
      elapsed_average: 2000,
      elapsed_p95: 3000,
      elapsed_change_percent: null,
      flaky_percent: 100,
      is_flaky: 0,
    });
    const columns = toColumns(state, DEFAULT_INSIGHT_SETTINGS);
    expect(columns.recent_elapsed).toBe("[1000,3000]");
    expect(fromColumns(columns)).toEqual(state);
  });
});
