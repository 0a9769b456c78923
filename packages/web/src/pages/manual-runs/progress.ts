import type { Run } from "@assay/api";

/** How far a manual run is: tests with any result out of all, and the estimated time still to go. */
export interface RunProgress {
  tested: number;
  total: number;
  /** 0–100, rounded down so 100 means every test has a result */
  percent: number;
  /** µs of estimates of tests without a final result; null when no case had an estimate */
  remaining: number | null;
}

/** (@assay/api builds Run's counters from a list, so TypeScript does not see them by name: they are read here.) */
function counter(run: Run, name: string): number {
  const value = (run as unknown as Record<string, unknown>)[name];
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

export function progressOf(run: Run): RunProgress {
  const total = counter(run, "total_count");
  const tested = Math.max(0, total - counter(run, "untested_count"));
  const percent = total === 0 ? 0 : Math.floor((tested / total) * 100);
  const remaining = run.forecast === null ? null : Math.max(0, run.forecast - (run.forecast_completed ?? 0));
  return { tested, total, percent, remaining };
}

/** "7 of 10 tested (70%)". */
export function progressLabel(progress: RunProgress): string {
  return `${progress.tested} of ${progress.total} tested (${progress.percent}%)`;
}
