import type { TrendDay } from "@assay/api";
import { useMemo } from "react";
import { formatCount, formatDuration, formatPercent } from "../../ui/format";
import {
  type ChartSeries,
  COUNT_INCRS,
  DURATION_INCRS,
  formatDurationTick,
  TimeSeriesChart,
} from "../../ui/TimeSeriesChart";
import { trendSeries, trendTotals } from "./trends";

const formatRate = (value: number) => formatPercent(value, 0);
const formatTests = (value: number) => formatCount(Math.round(value));

/** The pass-rate axis starts a little under the lowest day (a multiple of 10), so differences show; 0 at most. */
export function passRateFloor(lowest: number | null): number {
  if (lowest === null) return 0;
  return Math.max(0, Math.floor((lowest - 5) / 10) * 10);
}

/**
 * Pass rate, tests and time per UTC day over the window, as three uPlot charts with a sentence each and
 * one table of the numbers. The figures are the sources' sums per day (or the one source chosen).
 */
export function TrendCharts({ entries, days, scope }: { entries: readonly TrendDay[]; days: number; scope: string }) {
  const data = useMemo(() => trendSeries(entries, days), [entries, days]);
  const totals = trendTotals(data);
  const rateSeries = useMemo<ChartSeries[]>(
    () => [{ label: "Pass rate", values: data.passRate, color: "passed" }],
    [data],
  );
  const testSeries = useMemo<ChartSeries[]>(
    () => [
      { label: "Results", values: data.tests, color: "accent", kind: "bars" },
      { label: "Failed", values: data.failed, color: "failed" },
    ],
    [data],
  );
  const timeSeries = useMemo<ChartSeries[]>(
    () => [
      { label: "Test time", values: data.testsElapsed, color: "accent" },
      { label: "Wall time", values: data.wallElapsed, color: "warning", kind: "dashed" },
    ],
    [data],
  );
  const period = `the last ${days} days (UTC)`;
  if (totals.runs === 0) {
    return <p className="muted">No runs in {period}.</p>;
  }
  return (
    <>
      <p className="muted dashboard__scope">
        {scope}; {totals.activeDays} of {days} days had runs ({formatCount(totals.runs)} runs,{" "}
        {formatCount(totals.failedRuns)} failed).
      </p>
      <div className="dashboard__charts">
        <TimeSeriesChart
          title="Pass rate per day"
          summary={
            totals.passRate === null
              ? `No passed or failed results in ${period}.`
              : `Passed ÷ (passed + failed) results: ${formatPercent(totals.passRate)} over ${period}, ` +
                `from ${formatPercent(totals.lowestPassRate)} to ${formatPercent(totals.highestPassRate)} per day.`
          }
          x={data.x}
          series={rateSeries}
          formatY={formatRate}
          xKind="day"
          yMin={passRateFloor(totals.lowestPassRate)}
          yMax={100}
          height={200}
        />
        <TimeSeriesChart
          title="Tests per day"
          summary={`${formatCount(totals.tests)} results (retries count each) in ${period}, ${formatCount(totals.failed)} of them failed.`}
          x={data.x}
          series={testSeries}
          formatY={formatTests}
          yIncrs={COUNT_INCRS}
          xKind="day"
          yMin={0}
          height={200}
        />
        <TimeSeriesChart
          title="Time per day"
          summary={
            `Test time (the results' durations added up) ${formatDuration(totals.testsElapsed)}; wall time ` +
            `(completed runs' durations) ${formatDuration(totals.wallElapsed)} in ${period}.`
          }
          x={data.x}
          series={timeSeries}
          formatY={formatDuration}
          formatTick={formatDurationTick}
          yIncrs={DURATION_INCRS}
          xKind="day"
          yMin={0}
          height={200}
        />
      </div>
      <details className="chart__data">
        <summary>Show the numbers per day</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Trends per UTC day</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col" className="table__cell--end">
                  Runs
                </th>
                <th scope="col" className="table__cell--end">
                  Results
                </th>
                <th scope="col" className="table__cell--end">
                  Failed
                </th>
                <th scope="col" className="table__cell--end">
                  Pass rate
                </th>
                <th scope="col" className="table__cell--end">
                  Test time
                </th>
                <th scope="col" className="table__cell--end">
                  Wall time
                </th>
              </tr>
            </thead>
            <tbody>
              {data.days.map((day, i) =>
                data.runs[i] === 0 ? null : (
                  <tr key={day}>
                    <td>{day}</td>
                    <td className="table__cell--end">{formatCount(data.runs[i])}</td>
                    <td className="table__cell--end">{formatCount(data.tests[i])}</td>
                    <td className="table__cell--end">{formatCount(data.failed[i])}</td>
                    <td className="table__cell--end">{formatPercent(data.passRate[i])}</td>
                    <td className="table__cell--end">{formatDuration(data.testsElapsed[i])}</td>
                    <td className="table__cell--end">{formatDuration(data.wallElapsed[i])}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
