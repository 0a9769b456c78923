import type { Project } from "@assay/api";
import type { Kysely } from "kysely";
import { manualCountsByProject } from "../../storage/repositories/manual.js";
import { countByProject } from "../../storage/repositories/project-stats.js";
import type { Database, ProjectTable } from "../../storage/schema.js";

type ProjectRow = { [K in keyof ProjectTable]: ProjectTable[K] extends { __select__: infer S } ? S : ProjectTable[K] };

/** Rows → Testmo's Project objects with every counter computed from the data. */
export async function presentProjects(db: Kysely<Database>, rows: readonly ProjectRow[]): Promise<Project[]> {
  const ids = rows.map((r) => r.id);
  const [milestones, sources, runs, manual] = await Promise.all([
    countByProject(db, "milestones", "is_completed", ids),
    countByProject(db, "automation_sources", "is_retired", ids),
    countByProject(db, "automation_runs", "is_completed", ids),
    manualCountsByProject(db, ids),
  ]);
  return rows.map((row) => {
    const m = milestones.get(row.id) ?? { total: 0, closed: 0 };
    const s = sources.get(row.id) ?? { total: 0, closed: 0 };
    const a = runs.get(row.id) ?? { total: 0, closed: 0 };
    const r = manual.runs.get(row.id) ?? { total: 0, closed: 0 };
    const x = manual.sessions.get(row.id) ?? { total: 0, closed: 0 };
    return {
      id: row.id,
      name: row.name,
      note: row.note,
      is_completed: row.is_completed === 1,
      milestone_count: m.total,
      milestone_active_count: m.total - m.closed,
      milestone_completed_count: m.closed,
      run_count: r.total,
      run_active_count: r.total - r.closed,
      run_closed_count: r.closed,
      session_count: x.total,
      session_active_count: x.total - x.closed,
      session_closed_count: x.closed,
      automation_source_count: s.total,
      automation_source_active_count: s.total - s.closed,
      automation_source_retired_count: s.closed,
      automation_run_count: a.total,
      automation_run_active_count: a.total - a.closed,
      automation_run_completed_count: a.closed,
      created_at: row.created_at,
      created_by: row.created_by ?? 0,
      updated_at: row.updated_at,
      updated_by: row.updated_by,
      completed_at: row.completed_at,
    };
  });
}
