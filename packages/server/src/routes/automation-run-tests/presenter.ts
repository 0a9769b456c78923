import type { AutomationRunTest } from "@assay/api";
import type { StatusCatalog } from "../../services/statuses.js";
import type { RunTestRow } from "./queries.js";

export function presentRunTest(
  statuses: StatusCatalog,
  projectId: number,
  row: RunTestRow,
  repositoryCaseId: number | null,
): AutomationRunTest {
  return {
    id: row.id,
    project_id: projectId,
    automation_run_id: row.run_id,
    automation_run_thread_id: row.thread_id,
    automation_case_id: row.case_id,
    repository_case_id: repositoryCaseId,
    key: row.key,
    name: row.name,
    folder: row.folder,
    status: statuses.outcomeOf(row.status_id),
    status_id: row.status_id,
    elapsed: row.elapsed === null ? null : Number(row.elapsed),
    file: row.file,
    line: row.line,
    assertions: row.assertions,
    message: row.message,
    failure_group_id: row.failure_group_id,
    created_at: row.created_at,
  };
}
