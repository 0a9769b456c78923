import type { Session } from "@assay/api";
import { parseJson } from "../../lib/query.js";
import { countOf } from "../../services/automation.js";
import type { StatusCatalog } from "../../services/statuses.js";
import type { SessionRow } from "../../storage/repositories/manual.js";
import { presentCounts } from "../automation-runs/presenter.js";

/** Rows → Testmo's Session objects: issue ids, tags and the counters kept on the row. */
export function presentSessions(
  statuses: StatusCatalog,
  rows: readonly SessionRow[],
  issues: readonly { owner_id: number; issue_id: number }[],
): Session[] {
  return rows.map(
    (row) =>
      ({
        id: row.id,
        project_id: row.project_id,
        template_id: row.template_id,
        name: row.name,
        config_id: row.config_id,
        milestone_id: row.milestone_id,
        state_id: row.state_id,
        assignee_id: row.assignee_id,
        estimate: row.estimate === null ? null : Number(row.estimate),
        forecast: row.forecast === null ? null : Number(row.forecast),
        elapsed: Number(row.elapsed),
        is_started: row.is_started === 1,
        is_closed: row.is_closed === 1,
        issues: issues.filter((i) => i.owner_id === row.id).map((i) => i.issue_id),
        tags: parseJson<string[]>(row.tags, []),
        ...presentCounts(statuses, (id) => countOf(row, id)),
        started_at: row.started_at,
        created_at: row.created_at,
        created_by: row.created_by ?? 0,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
        closed_at: row.closed_at,
        closed_by: row.closed_by,
      }) as Session,
  );
}
