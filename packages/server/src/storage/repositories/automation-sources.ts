import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.js";

type Db = Kysely<Database>;

export type SourceRow = Awaited<ReturnType<typeof findSource>> & {};

export async function findSource(db: Db, id: number) {
  return db.selectFrom("automation_sources").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listSources(
  db: Db,
  filters: { projectId: number; isRetired?: boolean },
  page: { offset: number; limit: number; sort: "created_at" | "ran_at" | "retired_at"; order: "asc" | "desc" },
) {
  let query = db.selectFrom("automation_sources as s").where("s.project_id", "=", filters.projectId);
  if (filters.isRetired !== undefined) query = query.where("s.is_retired", "=", filters.isRetired ? 1 : 0);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const ranAt = sql<string | null>`(select max(r.created_at) from automation_runs r where r.source_id = s.id)`;
  const sortExpression = page.sort === "ran_at" ? ranAt : sql.ref(`s.${page.sort}`);
  const rows = await query
    .selectAll("s")
    .orderBy(sortExpression, page.order)
    .orderBy("s.id", page.order)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

const TOTAL = sql.raw(Array.from({ length: 25 }, (_, i) => `t.count_${i + 1}`).join(" + "));

export interface SourceStats {
  run_count: number;
  test_total: number;
  elapsed_average: number;
  ran_at: string | null;
  last_status: number | null;
}

/** Per-source run statistics, computed from the runs (one grouped query per aspect). */
export async function sourceStats(db: Db, sourceIds: readonly number[]): Promise<Map<number, SourceStats>> {
  const stats = new Map<number, SourceStats>();
  if (sourceIds.length === 0) return stats;
  const runs = await db
    .selectFrom("automation_runs")
    .select((eb) => [
      "source_id",
      eb.fn.countAll<number>().as("run_count"),
      eb.fn.avg<number | null>("elapsed").as("elapsed_average"),
      eb.fn.max("created_at").as("ran_at"),
    ])
    .where("source_id", "in", sourceIds)
    .groupBy("source_id")
    .execute();
  const tests = await db
    .selectFrom("automation_run_threads as t")
    .innerJoin("automation_runs as r", "r.id", "t.run_id")
    .select(["r.source_id", sql<number>`sum(${TOTAL})`.as("test_total")])
    .where("r.source_id", "in", sourceIds)
    .groupBy("r.source_id")
    .execute();
  const latest = await db
    .selectFrom("automation_runs as r")
    .select(["r.source_id", "r.status"])
    .where("r.source_id", "in", sourceIds)
    .where("r.is_completed", "=", 1)
    .where("r.completed_at", "=", (eb) =>
      eb
        .selectFrom("automation_runs as l")
        .select((e) => e.fn.max("l.completed_at").as("m"))
        .whereRef("l.source_id", "=", "r.source_id")
        .where("l.is_completed", "=", 1),
    )
    .execute();
  for (const row of runs) {
    stats.set(row.source_id, {
      run_count: Number(row.run_count),
      test_total: 0,
      elapsed_average: Math.round(Number(row.elapsed_average ?? 0)),
      ran_at: (row.ran_at as string | null) ?? null,
      last_status: null,
    });
  }
  for (const row of tests) {
    const entry = stats.get(row.source_id);
    if (entry) entry.test_total = Number(row.test_total ?? 0);
  }
  for (const row of latest) {
    const entry = stats.get(row.source_id);
    if (entry) entry.last_status = row.status;
  }
  return stats;
}
