import type { RunResult } from "@assay/api";
import type { RunResultRow } from "../../storage/repositories/manual.js";

/** Rows → Testmo's RunResult objects with their issue ids. */
export function presentRunResults(
  rows: readonly RunResultRow[],
  issues: readonly { owner_id: number; issue_id: number }[],
): RunResult[] {
  return rows.map((row) => ({
    id: row.id,
    project_id: row.project_id,
    run_id: row.run_id,
    test_id: row.test_id,
    case_id: row.case_id,
    status_id: row.status_id,
    is_latest: row.is_latest === 1,
    note: row.note,
    elapsed: Number(row.elapsed),
    assignee_id: row.assignee_id,
    issues: issues.filter((i) => i.owner_id === row.id).map((i) => i.issue_id),
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
    deleted_at: row.deleted_at,
    deleted_by: row.deleted_by,
  }));
}
