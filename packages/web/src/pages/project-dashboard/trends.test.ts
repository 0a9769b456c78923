import type { TrendDay } from "@assay/api";
import { describe, expect, it } from "vitest";
import { passRate, trendSeries, trendTotals, windowDays } from "./trends";

function day(overrides: Partial<TrendDay>): TrendDay {
  return {
    day: "2026-11-30",
    source_id: 1,
    run_count: 1,
    failed_run_count: 0,
    test_count: 10,
    success_count: 9,
    failure_count: 1,
    pass_rate: 90,
    tests_elapsed: 1_000_000,
    wall_elapsed: 800_000,
    ...overrides,
  };
}

const now = new Date("2026-11-30T15:00:00Z");

describe("trend series", () => {
  it("has every UTC day of the window, ending today", () => {
    expect(windowDays(3, now)).toEqual(["2026-11-28", "2026-11-29", "2026-11-30"]);
    expect(windowDays(1, new Date("2026-03-01T00:30:00Z"))).toEqual(["2026-03-01"]);
  });

  it("sums the sources per day, fills days without runs with 0 and leaves their pass rate a gap", () => {
    const series = trendSeries(
      [
        day({ day: "2026-11-28", source_id: 1, test_count: 10, success_count: 10, failure_count: 0, pass_rate: 100 }),
        day({ day: "2026-11-28", source_id: 2, test_count: 4, success_count: 1, failure_count: 2, pass_rate: 33.33 }),
        day({ day: "2026-11-30", test_count: 5, success_count: 0, failure_count: 0, pass_rate: null }),
        day({ day: "2026-10-01" }),
      ],
      3,
      now,
    );
    expect(series.days).toEqual(["2026-11-28", "2026-11-29", "2026-11-30"]);
    expect(series.x[0]).toBe(Date.UTC(2026, 10, 28) / 1000);
    expect(series.tests).toEqual([14, 0, 5]);
    expect(series.runs).toEqual([2, 0, 1]);
    // 11 passed of 13 decided: a rate of the sums, not the mean of 100 and 33.33
    expect(series.passRate).toEqual([84.62, null, null]);
    expect(series.testsElapsed).toEqual([2_000_000, 0, 1_000_000]);
    const totals = trendTotals(series);
    expect(totals).toMatchObject({ activeDays: 2, runs: 3, tests: 19, passed: 11, failed: 2, passRate: 84.62 });
    expect(totals.lowestPassRate).toBe(84.62);
  });

  it("rounds the pass rate to two decimals like the API", () => {
    expect(passRate(2, 1)).toBe(66.67);
    expect(passRate(0, 0)).toBeNull();
  });
});
