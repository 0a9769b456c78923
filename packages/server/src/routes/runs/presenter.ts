import type { Run } from "@assay/api";
import { parseJson } from "../../lib/query.js";
import { countOf } from "../../services/automation.js";
import type { StatusCatalog } from "../../services/statuses.js";
import type { ManualRunRow } from "../../storage/repositories/manual.js";
import { presentCounts } from "../automation-runs/presenter.js";

interface Relations {
  links: readonly { run_id: number; name: string; note: string | null; url: string }[];
  issues: readonly { owner_id: number; issue_id: number }[];
}

/** Rows → Testmo's Run objects: links, issue ids, tags and the counters kept on the row. */
export function presentManualRuns(statuses: StatusCatalog, rows: readonly ManualRunRow[], relations: Relations): Run[] {
  return rows.map(
    (row) =>
      ({
        id: row.id,
        project_id: row.project_id,
        name: row.name,
        config_id: row.config_id,
        milestone_id: row.milestone_id,
        state_id: row.state_id,
        forecast: row.forecast === null ? null : Number(row.forecast),
        forecast_completed: row.forecast_completed === null ? null : Number(row.forecast_completed),
        elapsed: Number(row.elapsed),
        is_started: row.is_started === 1,
        is_closed: row.is_closed === 1,
        issues: relations.issues.filter((i) => i.owner_id === row.id).map((i) => i.issue_id),
        links: relations.links
          .filter((l) => l.run_id === row.id)
          .map((l) => ({ name: l.name, note: l.note, url: l.url })),
        tags: parseJson<string[]>(row.tags, []),
        ...presentCounts(statuses, (id) => countOf(row, id)),
        started_at: row.started_at,
        created_at: row.created_at,
        created_by: row.created_by ?? 0,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
        closed_at: row.closed_at,
        closed_by: row.closed_by,
      }) as Run,
  );
}
