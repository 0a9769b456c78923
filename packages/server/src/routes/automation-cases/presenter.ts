import type { AutomationCase } from "@assay/api";
import type { AutomationCaseRow } from "./queries.js";

export function presentAutomationCase(row: AutomationCaseRow, repositoryCases: number[]): AutomationCase {
  return {
    id: row.id,
    project_id: row.project_id,
    source_id: row.source_id,
    key: row.key,
    name: row.name,
    folder: row.folder,
    status: row.status,
    elapsed_average: Number(row.elapsed_average),
    failure_count: row.failure_count,
    flaky_percent: row.flaky_percent,
    result_count: row.result_count,
    repository_cases: repositoryCases,
    last_run_id: row.last_run_id,
    last_result_at: row.last_result_at,
    created_at: row.created_at,
  };
}
