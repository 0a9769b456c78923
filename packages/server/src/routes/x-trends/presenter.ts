import type { TrendDay } from "@assay/api";
import type { StatusCatalog } from "../../services/statuses.js";
import type { TrendRunRow, TrendThreadRow } from "../../storage/repositories/insight-runs.js";

/** success ÷ (success + failure) in percent, two decimals; null without either. */
export function passRate(success: number, failure: number): number | null {
  const decided = success + failure;
  return decided === 0 ? null : Math.round((success / decided) * 10_000) / 100;
}

/** Per day and source, oldest first (then by source id): the runs' figures and their threads' sums. */
export function presentTrends(
  statuses: StatusCatalog,
  runs: readonly TrendRunRow[],
  threads: readonly TrendThreadRow[],
): TrendDay[] {
  const key = (r: { day: string; source_id: number }) => `${r.day}:${r.source_id}`;
  const threadsBy = new Map(threads.map((t) => [key(t), t]));
  return [...runs]
    .sort((a, b) => (a.day === b.day ? a.source_id - b.source_id : a.day < b.day ? -1 : 1))
    .map((run) => {
      const thread = threadsBy.get(key(run));
      const summary = statuses.summarize((id) => thread?.counts.get(id) ?? 0);
      return {
        day: run.day,
        source_id: run.source_id,
        run_count: run.run_count,
        failed_run_count: run.failed_run_count,
        test_count: summary.total,
        success_count: summary.success,
        failure_count: summary.failure,
        pass_rate: passRate(summary.success, summary.failure),
        tests_elapsed: thread?.tests_elapsed ?? 0,
        wall_elapsed: run.wall_elapsed,
      };
    });
}
