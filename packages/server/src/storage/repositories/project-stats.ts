import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

export interface ProjectCounts {
  [key: string]: number;
}

type CountedTable = "milestones" | "automation_sources" | "automation_runs";

/**
 * Active/closed counts per project for one table, keyed `<prefix>_count`,
 * `<prefix>_<open>_count` and `<prefix>_<closed>_count`.
 */
export async function countByProject(
  db: Kysely<Database>,
  table: CountedTable,
  closedColumn: "is_completed" | "is_retired",
  projectIds: readonly number[],
): Promise<Map<number, { total: number; closed: number }>> {
  const counts = new Map<number, { total: number; closed: number }>();
  if (projectIds.length === 0) return counts;
  const rows = await (
    db as unknown as Kysely<Record<CountedTable, { project_id: number; is_completed: number; is_retired: number }>>
  )
    .selectFrom(table)
    .select((eb) => ["project_id", closedColumn, eb.fn.countAll<number>().as("n")])
    .where("project_id", "in", projectIds)
    .groupBy(["project_id", closedColumn])
    .execute();
  for (const row of rows) {
    const entry = counts.get(row.project_id) ?? { total: 0, closed: 0 };
    const n = Number(row.n);
    entry.total += n;
    if ((row as Record<string, unknown>)[closedColumn] === 1) entry.closed += n;
    counts.set(row.project_id, entry);
  }
  return counts;
}
