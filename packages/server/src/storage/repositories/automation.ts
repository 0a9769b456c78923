import type { CreateAutomationArtifact, CreateAutomationField, CreateAutomationLink } from "@assay/api";
import { type Kysely, sql, type Transaction } from "kysely";
import type { AutomationRunThreadTable, Database, ResourceKind } from "../schema.js";

type Db = Kysely<Database> | Transaction<Database>;

export type RunRow = Awaited<ReturnType<typeof findRun>> & {};
export type ThreadRow = Awaited<ReturnType<typeof threadsOfRuns>>[number];

export async function findRun(db: Db, id: number) {
  return db.selectFrom("automation_runs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findThreadWithRun(db: Db, id: number) {
  return db
    .selectFrom("automation_run_threads as t")
    .innerJoin("automation_runs as r", "r.id", "t.run_id")
    .select(["t.id", "t.run_id", "t.is_completed", "r.project_id", "r.source_id", "r.is_completed as run_is_completed"])
    .where("t.id", "=", id)
    .executeTakeFirst();
}

export async function threadsOfRuns(db: Db, runIds: readonly number[]) {
  if (runIds.length === 0) return [];
  return db
    .selectFrom("automation_run_threads")
    .selectAll()
    .where("run_id", "in", runIds)
    .orderBy("run_id")
    .orderBy("index")
    .execute();
}

export interface ResourceRow {
  run_id: number;
  thread_id: number | null;
  kind: ResourceKind;
  payload: string;
}

export async function resourcesOfRuns(db: Db, runIds: readonly number[]): Promise<ResourceRow[]> {
  if (runIds.length === 0) return [];
  return db
    .selectFrom("automation_run_resources")
    .select(["run_id", "thread_id", "kind", "payload"])
    .where("run_id", "in", runIds)
    .orderBy("id")
    .execute();
}

export interface Resources {
  artifacts?: CreateAutomationArtifact[];
  fields?: CreateAutomationField[];
  links?: CreateAutomationLink[];
}

export async function insertResources(trx: Db, runId: number, threadId: number | null, resources: Resources) {
  const rows = [
    ...(resources.artifacts ?? []).map((item) => ({ kind: "artifact" as const, item })),
    ...(resources.fields ?? []).map((item) => ({ kind: "field" as const, item })),
    ...(resources.links ?? []).map((item) => ({ kind: "link" as const, item })),
  ].map(({ kind, item }) => ({ run_id: runId, thread_id: threadId, kind, payload: JSON.stringify(item) }));
  if (rows.length > 0) await trx.insertInto("automation_run_resources").values(rows).execute();
}

export async function findOrCreateSource(
  trx: Db,
  projectId: number,
  name: string,
  userId: number,
  now: string,
): Promise<number> {
  const existing = await trx
    .selectFrom("automation_sources")
    .select("id")
    .where("project_id", "=", projectId)
    .where("name", "=", name)
    .executeTakeFirst();
  if (existing) return existing.id;
  const created = await trx
    .insertInto("automation_sources")
    .values({
      project_id: projectId,
      name,
      is_retired: 0,
      created_at: now,
      created_by: userId,
      updated_at: null,
      updated_by: null,
      retired_at: null,
      retired_by: null,
    })
    .onConflict((oc) => oc.columns(["project_id", "name"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  // Lost a race with a concurrent create of the same source: read the winner's row.
  return created?.id ?? (await findOrCreateSource(trx, projectId, name, userId, now));
}

export async function findOrCreateConfig(
  trx: Db,
  projectId: number,
  name: string,
  userId: number,
  now: string,
): Promise<number> {
  const existing = await trx
    .selectFrom("configs")
    .select("id")
    .where("project_id", "=", projectId)
    .where("name", "=", name)
    .executeTakeFirst();
  if (existing) return existing.id;
  const created = await trx
    .insertInto("configs")
    .values({ project_id: projectId, name, created_at: now, created_by: userId })
    .onConflict((oc) => oc.columns(["project_id", "name"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return created?.id ?? (await findOrCreateConfig(trx, projectId, name, userId, now));
}

export async function findConfig(db: Db, projectId: number, id: number) {
  return db
    .selectFrom("configs")
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function milestonesOfProject(db: Db, projectId: number) {
  return db
    .selectFrom("milestones")
    .select(["id", "name", "automation_tags", "is_completed"])
    .where("project_id", "=", projectId)
    .orderBy("id")
    .execute();
}

export type CountColumn = `count_${number}` & keyof AutomationRunThreadTable;

/**
 * Adds status counts and partial elapsed times to an open thread. The
 * `is_completed = 0` condition makes a concurrent completion win cleanly:
 * zero rows updated means the target closed meanwhile.
 */
export async function addCounts(
  trx: Db,
  id: number,
  counts: ReadonlyMap<number, number>,
  extra: { elapsed_observed?: number; elapsed_computed?: number; tests_elapsed?: number } = {},
): Promise<boolean> {
  const set: Record<string, unknown> = {};
  for (const [statusId, n] of counts) {
    const column = `count_${statusId}`;
    set[column] = sql`${sql.ref(column)} + ${n}`;
  }
  if (extra.tests_elapsed) set.tests_elapsed = sql`tests_elapsed + ${extra.tests_elapsed}`;
  for (const column of ["elapsed_observed", "elapsed_computed"] as const) {
    const value = extra[column];
    if (value !== undefined) set[column] = sql`coalesce(${sql.ref(column)}, 0) + ${value}`;
  }
  if (Object.keys(set).length === 0) set.is_completed = 0;
  const result = await trx
    .updateTable("automation_run_threads")
    .set(set as never)
    .where("id", "=", id)
    .where("is_completed", "=", 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function countColumns(): CountColumn[] {
  return Array.from({ length: 25 }, (_, i) => `count_${i + 1}` as CountColumn);
}

export interface RunFilters {
  projectId: number;
  configIds?: number[];
  createdAfter?: string;
  createdBefore?: string;
  createdBy?: number[];
  milestoneIds?: number[];
  sourceIds?: number[];
  statuses?: number[];
  tags?: string[];
}

export async function listRuns(
  db: Db,
  filters: RunFilters,
  page: { offset: number; limit: number; order: "asc" | "desc" },
) {
  let query = db.selectFrom("automation_runs").where("project_id", "=", filters.projectId);
  if (filters.configIds) query = query.where("config_id", "in", filters.configIds);
  if (filters.createdAfter) query = query.where("created_at", ">=", filters.createdAfter);
  if (filters.createdBefore) query = query.where("created_at", "<=", filters.createdBefore);
  if (filters.createdBy) query = query.where("created_by", "in", filters.createdBy);
  if (filters.milestoneIds) query = query.where("milestone_id", "in", filters.milestoneIds);
  if (filters.sourceIds) query = query.where("source_id", "in", filters.sourceIds);
  if (filters.statuses) query = query.where("status", "in", filters.statuses);
  if (filters.tags) {
    const tags = filters.tags;
    query = query.where("id", "in", (eb) =>
      eb.selectFrom("automation_run_tags").select("run_id").where("tag", "in", tags),
    );
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .orderBy("created_at", page.order)
    .orderBy("id", page.order)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}
