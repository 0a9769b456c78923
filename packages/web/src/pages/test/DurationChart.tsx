import type { TestHistoryItem } from "@assay/api";
import { useMemo } from "react";
import { formatAbsolute, formatDuration } from "../../ui/format";
import { type ChartSeries, DURATION_INCRS, formatDurationTick, TimeSeriesChart } from "../../ui/TimeSeriesChart";
import { durationSeries, P95_WINDOW } from "./history";

/**
 * The test's duration per result over time (its last 100 results, the timed ones): a line of the
 * durations, its failed results as red points, and the p95 of the last 30 timed results at each point
 * (dashed; its last value is the test's `elapsed_p95`).
 */
export function DurationChart({ history }: { history: readonly TestHistoryItem[] }) {
  const data = useMemo(() => durationSeries(history), [history]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: "Duration", values: data.elapsed, color: "accent" },
      { label: "Failed", values: data.failed, color: "failed", kind: "points" },
      { label: `p95 of the last ${P95_WINDOW}`, values: data.p95, color: "warning", kind: "dashed" },
    ],
    [data],
  );
  if (data.x.length === 0) {
    return <p className="muted">No timed results yet: the chart appears once results carry a duration.</p>;
  }
  const sorted = [...data.elapsed].sort((a, b) => a - b);
  const summary =
    `${data.x.length} timed result${data.x.length === 1 ? "" : "s"} from ${formatAbsolute(new Date(data.x[0]! * 1000))} ` +
    `to ${formatAbsolute(new Date(data.x.at(-1)! * 1000))}: fastest ${formatDuration(sorted[0])}, slowest ` +
    `${formatDuration(sorted.at(-1))}, latest ${formatDuration(data.elapsed.at(-1))}; p95 of the last ${P95_WINDOW} ` +
    `${formatDuration(data.p95.at(-1))}.`;
  const timed = history.filter((item) => item.elapsed !== null);
  return (
    <TimeSeriesChart
      title="Duration per result"
      summary={summary}
      x={data.x}
      series={series}
      formatY={formatDuration}
      formatTick={formatDurationTick}
      yIncrs={DURATION_INCRS}
      xKind="time"
      yMin={0}
      table={
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Duration per result, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Run</th>
                <th scope="col">Outcome</th>
                <th scope="col" className="table__cell--end">
                  Duration
                </th>
              </tr>
            </thead>
            <tbody>
              {timed.map((item) => (
                <tr key={item.id}>
                  <td>{formatAbsolute(item.created_at)}</td>
                  <td>{item.run_name}</td>
                  <td>{item.status === 2 ? "Passed" : item.status === 3 ? "Failed" : "Neither"}</td>
                  <td className="table__cell--end">{formatDuration(item.elapsed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      }
    />
  );
}
