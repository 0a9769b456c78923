import type { Milestone } from "@assay/api";
import { parseJson } from "../../lib/query.js";
import type { MilestoneRow } from "../../storage/repositories/manual.js";

interface Relations {
  links: readonly { milestone_id: number; name: string; note: string | null; url: string }[];
  issues: readonly { owner_id: number; issue_id: number }[];
}

/** Rows → Testmo's Milestone objects, with their links and issue ids. */
export function presentMilestones(rows: readonly MilestoneRow[], relations: Relations): Milestone[] {
  return rows.map((row) => ({
    id: row.id,
    project_id: row.project_id,
    root_id: row.root_id,
    parent_id: row.parent_id,
    type_id: row.type_id,
    name: row.name,
    note: row.note,
    is_started: row.is_started === 1,
    is_completed: row.is_completed === 1,
    start_date: row.start_date,
    due_date: row.due_date,
    automation_tags: parseJson<string[]>(row.automation_tags, []),
    issues: relations.issues.filter((i) => i.owner_id === row.id).map((i) => i.issue_id),
    links: relations.links
      .filter((l) => l.milestone_id === row.id)
      .map((l) => ({ name: l.name, note: l.note, url: l.url })),
    started_at: row.started_at,
    created_at: row.created_at,
    created_by: row.created_by ?? 0,
    updated_at: row.updated_at,
    updated_by: row.updated_by,
    completed_at: row.completed_at,
  }));
}
