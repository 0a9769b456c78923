import type { TrendDay } from "@assay/api";

/**
 * The dashboard's trend charts from `GET /x/projects/{id}/automation/trends` (docs/analytics.md,
 * "Project trends"): one entry per UTC day and source, days without runs left out. The charts show the
 * project's sources summed per day (or the one source chosen), every day of the window:
 * - counts and times of a day without runs are 0 (as the API's definition says a chart fills them);
 * - the pass rate of a day is recomputed from the summed passed and failed results (not an average of
 *   the sources' rates), and is a gap (null) on days with neither.
 */
export interface TrendSeries {
  /** Unix seconds of each UTC midnight, oldest first. */
  x: number[];
  days: string[];
  runs: number[];
  failedRuns: number[];
  tests: number[];
  passed: number[];
  failed: number[];
  passRate: (number | null)[];
  testsElapsed: number[];
  wallElapsed: number[];
}

const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" of the UTC days of the window: `days` days ending today (UTC), oldest first. */
export function windowDays(days: number, now: Date = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** Pass rate in percent with two decimals, as the API rounds it; null without passed or failed results. */
export function passRate(passed: number, failed: number): number | null {
  const decided = passed + failed;
  return decided === 0 ? null : Math.round((passed / decided) * 10_000) / 100;
}

export function trendSeries(entries: readonly TrendDay[], days: number, now: Date = new Date()): TrendSeries {
  const dayList = windowDays(days, now);
  const index = new Map(dayList.map((day, i) => [day, i]));
  const zeros = () => dayList.map(() => 0);
  const series: TrendSeries = {
    x: dayList.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000),
    days: dayList,
    runs: zeros(),
    failedRuns: zeros(),
    tests: zeros(),
    passed: zeros(),
    failed: zeros(),
    passRate: [],
    testsElapsed: zeros(),
    wallElapsed: zeros(),
  };
  for (const entry of entries) {
    const i = index.get(entry.day);
    if (i === undefined) continue;
    series.runs[i]! += entry.run_count;
    series.failedRuns[i]! += entry.failed_run_count;
    series.tests[i]! += entry.test_count;
    series.passed[i]! += entry.success_count;
    series.failed[i]! += entry.failure_count;
    series.testsElapsed[i]! += entry.tests_elapsed;
    series.wallElapsed[i]! += entry.wall_elapsed;
  }
  series.passRate = dayList.map((_, i) => passRate(series.passed[i]!, series.failed[i]!));
  return series;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Totals over the window, for the charts' text summaries. */
export function trendTotals(series: TrendSeries) {
  const rates = series.passRate.filter((rate): rate is number => rate !== null);
  return {
    activeDays: series.runs.filter((runs) => runs > 0).length,
    runs: sum(series.runs),
    failedRuns: sum(series.failedRuns),
    tests: sum(series.tests),
    passed: sum(series.passed),
    failed: sum(series.failed),
    passRate: passRate(sum(series.passed), sum(series.failed)),
    lowestPassRate: rates.length ? Math.min(...rates) : null,
    highestPassRate: rates.length ? Math.max(...rates) : null,
    testsElapsed: sum(series.testsElapsed),
    wallElapsed: sum(series.wallElapsed),
  };
}
