import { type AutomationSource, AutomationStatus } from "@assay/api";
import type { SourceRow, SourceStats } from "../../storage/repositories/automation-sources.js";

/** Status: that of the latest completed run, neutral before any. */
export function presentSource(row: SourceRow, stats: SourceStats | undefined): AutomationSource {
  const runCount = stats?.run_count ?? 0;
  return {
    id: row.id,
    project_id: row.project_id,
    name: row.name,
    status: stats?.last_status ?? AutomationStatus.neutral,
    is_retired: row.is_retired === 1,
    run_count: runCount,
    test_count_average: runCount > 0 ? Math.round((stats?.test_total ?? 0) / runCount) : 0,
    elapsed_average: stats?.elapsed_average ?? 0,
    ran_at: stats?.ran_at ?? null,
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
    retired_at: row.retired_at,
    retired_by: row.retired_by,
  };
}
