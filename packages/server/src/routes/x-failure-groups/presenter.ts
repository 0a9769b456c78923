import type { FailureGroup, FailureGroupDetail, FailureGroupRun, FailureGroupTest, RunFailureGroup } from "@assay/api";
import type { FailureGroupRow, RunFailureGroupRow } from "../../storage/repositories/insight-runs.js";

export function presentFailureGroup(row: FailureGroupRow): FailureGroup {
  return {
    id: row.id,
    project_id: row.project_id,
    signature: row.signature,
    type: row.type,
    message: row.message,
    sample: row.sample,
    frames: JSON.parse(row.frames) as string[],
    occurrence_count: row.occurrence_count,
    test_count: row.test_count,
    run_count: row.run_count,
    first_seen_at: row.first_seen_at,
    last_seen_at: row.last_seen_at,
    first_run_id: row.first_run_id,
    last_run_id: row.last_run_id,
  };
}

/** A group as seen from one run: new in it when the group was first seen there. */
export function presentRunFailureGroup(row: RunFailureGroupRow, runId: number): RunFailureGroup {
  return {
    ...presentFailureGroup(row),
    run_occurrence_count: row.run_occurrence_count,
    is_new: row.first_run_id === runId,
  };
}

interface GroupTestRow {
  case_id: number;
  name: string;
  folder: string;
  occurrence_count: number;
  first_seen_at: string;
  last_seen_at: string;
}

export function presentFailureGroupDetail(
  row: FailureGroupRow,
  tests: readonly GroupTestRow[],
  runs: readonly FailureGroupRun[],
): FailureGroupDetail {
  return {
    ...presentFailureGroup(row),
    tests: tests.map(
      (t): FailureGroupTest => ({
        automation_case_id: t.case_id,
        name: t.name,
        folder: t.folder,
        occurrence_count: t.occurrence_count,
        first_seen_at: t.first_seen_at,
        last_seen_at: t.last_seen_at,
      }),
    ),
    recent_runs: runs.map((r) => ({
      run_id: r.run_id,
      name: r.name,
      occurrence_count: r.occurrence_count,
      seen_at: r.seen_at,
    })),
  };
}
