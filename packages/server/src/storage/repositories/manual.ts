import { type Kysely, type SelectQueryBuilder, sql, type Transaction } from "kysely";
import type { DialectName } from "../db.js";
import type { Database } from "../schema.js";

/** Reads of milestones, manual runs, run results and sessions: lists with filters, relations, expands. */

type Db = Kysely<Database> | Transaction<Database>;
type Order = "asc" | "desc";
export interface PageWindow {
  offset: number;
  limit: number;
  order: Order;
}

/** Applies a window ordered by `column` (nulls last in both directions and on both databases), then `id`. */
async function pageOf<DB, TB extends keyof DB & string, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  page: PageWindow,
) {
  const { total } = await (query as unknown as SelectQueryBuilder<Database, "runs", object>)
    .select((eb) => eb.fn.countAll<number>().as("total"))
    .executeTakeFirstOrThrow();
  const rows = await (query as unknown as SelectQueryBuilder<Database, "runs", object>)
    .selectAll()
    .orderBy(sql`case when ${sql.ref(column)} is null then 1 else 0 end`)
    .orderBy(sql.ref(column), page.order)
    .orderBy("id", page.order)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows: rows as unknown[] };
}

/**
 * JSON-array text columns such as `automation_tags`: rows naming any of `tags`
 * (whole tags, ignoring case). The tags travel as one JSON parameter, so the
 * expression does not grow with their number (an OR per tag overflowed
 * SQLite's expression tree at about 1,000 tags).
 */
function jsonArrayHasAny(dialect: DialectName, column: string, tags: readonly string[]) {
  const wanted = JSON.stringify(tags.map((tag) => tag.toLowerCase()));
  const ref = sql.ref(column);
  return dialect === "postgres"
    ? sql<boolean>`exists (select 1 from json_array_elements_text(${ref}::json) as t(tag)
        where lower(t.tag) in (select json_array_elements_text(${wanted}::json)))`
    : sql<boolean>`exists (select 1 from json_each(${ref}) as t
        where lower(t.value) in (select value from json_each(${wanted})))`;
}

// ------------------------------------------------------------------ milestones

export type MilestoneRow = NonNullable<Awaited<ReturnType<typeof findMilestone>>>;

export function findMilestone(db: Db, id: number) {
  return db.selectFrom("milestones").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface MilestoneFilters {
  projectId: number;
  automationTags?: string[];
  completedAfter?: string;
  completedBefore?: string;
  createdAfter?: string;
  createdBefore?: string;
  createdBy?: number[];
  isCompleted?: boolean;
  parentIds?: number[];
  rootIds?: number[];
  typeIds?: number[];
}

export async function listMilestones(
  db: Db,
  dialect: DialectName,
  f: MilestoneFilters,
  sort: string,
  page: PageWindow,
) {
  let q = db.selectFrom("milestones").where("project_id", "=", f.projectId);
  if (f.automationTags?.length) q = q.where(jsonArrayHasAny(dialect, "automation_tags", f.automationTags));
  if (f.completedAfter) q = q.where("completed_at", ">=", f.completedAfter);
  if (f.completedBefore) q = q.where("completed_at", "<=", f.completedBefore);
  if (f.createdAfter) q = q.where("created_at", ">=", f.createdAfter);
  if (f.createdBefore) q = q.where("created_at", "<=", f.createdBefore);
  if (f.createdBy) q = q.where("created_by", "in", f.createdBy);
  if (f.isCompleted !== undefined) q = q.where("is_completed", "=", f.isCompleted ? 1 : 0);
  if (f.parentIds) q = q.where("parent_id", "in", f.parentIds);
  if (f.rootIds) q = q.where("root_id", "in", f.rootIds);
  if (f.typeIds) q = q.where("type_id", "in", f.typeIds);
  const { total, rows } = await pageOf(q, sort, page);
  return { total, rows: rows as MilestoneRow[] };
}

export function linksOfMilestones(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("milestone_links").selectAll().where("milestone_id", "in", ids).orderBy("id").execute();
}

export function issuesOfMilestones(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("milestone_issues")
    .select(["milestone_id as owner_id", "issue_id"])
    .where("milestone_id", "in", ids)
    .orderBy("issue_id")
    .execute();
}

const COUNT_COLUMNS = Array.from({ length: 25 }, (_, i) => `count_${i + 1}`);

/**
 * Per-status counts of everything linked to each milestone: manual runs,
 * sessions and automation runs (summed over their threads).
 */
export async function milestoneCounts(db: Db, ids: readonly number[]): Promise<Map<number, number[]>> {
  const totals = new Map<number, number[]>(ids.map((id) => [id, new Array(26).fill(0)]));
  if (ids.length === 0) return totals;
  const sums = COUNT_COLUMNS.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)`.as(c));
  const add = (rows: Record<string, unknown>[]) => {
    for (const row of rows) {
      const target = totals.get(Number(row.milestone_id));
      if (!target) continue;
      for (let s = 1; s <= 25; s++) target[s]! += Number(row[`count_${s}`] ?? 0);
    }
  };
  const [runs, sessions, automation] = await Promise.all([
    db
      .selectFrom("runs")
      .select(["milestone_id", ...sums])
      .where("milestone_id", "in", ids)
      .groupBy("milestone_id")
      .execute(),
    db
      .selectFrom("sessions")
      .select(["milestone_id", ...sums])
      .where("milestone_id", "in", ids)
      .groupBy("milestone_id")
      .execute(),
    db
      .selectFrom("automation_run_threads as t")
      .innerJoin("automation_runs as r", "r.id", "t.run_id")
      .select([
        "r.milestone_id",
        ...COUNT_COLUMNS.map((c) => sql<number>`coalesce(sum(${sql.ref(`t.${c}`)}), 0)`.as(c)),
      ])
      .where("r.milestone_id", "in", ids)
      .groupBy("r.milestone_id")
      .execute(),
  ]);
  add(runs as Record<string, unknown>[]);
  add(sessions as Record<string, unknown>[]);
  add(automation as Record<string, unknown>[]);
  return totals;
}

// ------------------------------------------------------------------ runs

export type ManualRunRow = NonNullable<Awaited<ReturnType<typeof findManualRun>>>;

export function findManualRun(db: Db, id: number) {
  return db.selectFrom("runs").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface ManualRunFilters {
  projectId: number;
  closedAfter?: string;
  closedBefore?: string;
  configIds?: number[];
  createdAfter?: string;
  createdBefore?: string;
  createdBy?: number[];
  isClosed?: boolean;
  milestoneIds?: number[];
  stateIds?: number[];
  tags?: string[];
}

export async function listManualRuns(db: Db, f: ManualRunFilters, sort: string, page: PageWindow) {
  let q = db.selectFrom("runs").where("project_id", "=", f.projectId);
  if (f.closedAfter) q = q.where("closed_at", ">=", f.closedAfter);
  if (f.closedBefore) q = q.where("closed_at", "<=", f.closedBefore);
  if (f.configIds) q = q.where("config_id", "in", f.configIds);
  if (f.createdAfter) q = q.where("created_at", ">=", f.createdAfter);
  if (f.createdBefore) q = q.where("created_at", "<=", f.createdBefore);
  if (f.createdBy) q = q.where("created_by", "in", f.createdBy);
  if (f.isClosed !== undefined) q = q.where("is_closed", "=", f.isClosed ? 1 : 0);
  if (f.milestoneIds) q = q.where("milestone_id", "in", f.milestoneIds);
  if (f.stateIds) q = q.where("state_id", "in", f.stateIds);
  if (f.tags) {
    const tags = f.tags;
    q = q.where("id", "in", (eb) => eb.selectFrom("run_tags").select("run_id").where("tag_name", "in", tags));
  }
  const { total, rows } = await pageOf(q, sort, page);
  return { total, rows: rows as ManualRunRow[] };
}

export function linksOfRuns(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom("run_links").selectAll().where("run_id", "in", ids).orderBy("id").execute();
}

export function issuesOfRuns(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("run_issues")
    .select(["run_id as owner_id", "issue_id"])
    .where("run_id", "in", ids)
    .orderBy("issue_id")
    .execute();
}

// ------------------------------------------------------------------ run results

export type RunResultRow = Awaited<ReturnType<typeof listRunResults>>["rows"][number];

export interface RunResultFilters {
  runId: number;
  createdAfter?: string;
  createdBefore?: string;
  createdBy?: number[];
  /** 0 stands for "unassigned" */
  assigneeIds?: number[];
  statusIds?: number[];
  latestOnly?: boolean;
}

export async function listRunResults(db: Db, f: RunResultFilters, page: PageWindow) {
  let q = db.selectFrom("run_results").where("run_id", "=", f.runId).where("deleted_at", "is", null);
  if (f.createdAfter) q = q.where("created_at", ">=", f.createdAfter);
  if (f.createdBefore) q = q.where("created_at", "<=", f.createdBefore);
  if (f.createdBy) q = q.where("created_by", "in", f.createdBy);
  if (f.assigneeIds) {
    const ids = f.assigneeIds.filter((id) => id > 0);
    const unassigned = f.assigneeIds.includes(0);
    q = q.where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb("assignee_id", "in", ids)] : []),
        ...(unassigned ? [eb("assignee_id", "is", null)] : []),
      ]),
    );
  }
  if (f.statusIds) q = q.where("status_id", "in", f.statusIds);
  if (f.latestOnly) q = q.where("is_latest", "=", 1);
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await q
    .selectAll()
    .orderBy("created_at", page.order)
    .orderBy("id", page.order)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

export function issuesOfResults(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("run_result_issues")
    .select(["result_id as owner_id", "issue_id"])
    .where("result_id", "in", ids)
    .orderBy("issue_id")
    .execute();
}

// ------------------------------------------------------------------ sessions

export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export function findSession(db: Db, id: number) {
  return db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
}

export interface SessionFilters extends Omit<ManualRunFilters, "tags"> {
  assigneeIds?: number[];
  tags?: string[];
  templateIds?: number[];
}

export async function listSessions(db: Db, f: SessionFilters, sort: string, page: PageWindow) {
  let q = db.selectFrom("sessions").where("project_id", "=", f.projectId);
  if (f.assigneeIds) q = q.where("assignee_id", "in", f.assigneeIds);
  if (f.closedAfter) q = q.where("closed_at", ">=", f.closedAfter);
  if (f.closedBefore) q = q.where("closed_at", "<=", f.closedBefore);
  if (f.configIds) q = q.where("config_id", "in", f.configIds);
  if (f.createdAfter) q = q.where("created_at", ">=", f.createdAfter);
  if (f.createdBefore) q = q.where("created_at", "<=", f.createdBefore);
  if (f.createdBy) q = q.where("created_by", "in", f.createdBy);
  if (f.isClosed !== undefined) q = q.where("is_closed", "=", f.isClosed ? 1 : 0);
  if (f.milestoneIds) q = q.where("milestone_id", "in", f.milestoneIds);
  if (f.stateIds) q = q.where("state_id", "in", f.stateIds);
  if (f.templateIds) q = q.where("template_id", "in", f.templateIds);
  if (f.tags) {
    const tags = f.tags;
    q = q.where("id", "in", (eb) => eb.selectFrom("session_tags").select("session_id").where("tag_name", "in", tags));
  }
  const { total, rows } = await pageOf(q, sort, page);
  return { total, rows: rows as SessionRow[] };
}

export function issuesOfSessions(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("session_issues")
    .select(["session_id as owner_id", "issue_id"])
    .where("session_id", "in", ids)
    .orderBy("issue_id")
    .execute();
}

// ------------------------------------------------------------------ expands

function unique(ids: Iterable<number | null | undefined>): number[] {
  return [...new Set([...ids].filter((id): id is number => typeof id === "number" && id > 0))];
}

/** IssueExpand items: type is the integration's type, the external project that of the connection. */
export async function issueExpandItems(db: Db, ids: Iterable<number>) {
  const wanted = unique(ids);
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom("issues as i")
    .innerJoin("issue_integrations as g", "g.id", "i.integration_id")
    .leftJoin("issue_connection_projects as p", "p.id", "i.connection_project_id")
    .select(["i.id", "g.type", "i.display_id", "i.connection_project_id", "p.key"])
    .where("i.id", "in", wanted)
    .orderBy("i.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    display_id: r.display_id,
    external_project_id: r.connection_project_id,
    external_project_key: r.key ?? null,
  }));
}

/** `{id, name, is_default}` items of states, milestone types and session templates. */
export async function defaultableExpand(
  db: Db,
  table: "states" | "milestone_types" | "session_templates",
  ids: Iterable<number | null | undefined>,
) {
  const wanted = unique(ids);
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom(table)
    .select(["id", "name", "is_default"])
    .where("id", "in", wanted)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, is_default: r.is_default === 1 }));
}

// ------------------------------------------------------------------ project counters

/** Manual runs and sessions per project: total and closed. */
export async function manualCountsByProject(db: Kysely<Database>, projectIds: readonly number[]) {
  const count = async (table: "runs" | "sessions") => {
    const counts = new Map<number, { total: number; closed: number }>();
    if (projectIds.length === 0) return counts;
    const rows = await db
      .selectFrom(table)
      .select((eb) => ["project_id", "is_closed", eb.fn.countAll<number>().as("n")])
      .where("project_id", "in", projectIds)
      .groupBy(["project_id", "is_closed"])
      .execute();
    for (const row of rows) {
      const entry = counts.get(row.project_id) ?? { total: 0, closed: 0 };
      entry.total += Number(row.n);
      if (row.is_closed === 1) entry.closed += Number(row.n);
      counts.set(row.project_id, entry);
    }
    return counts;
  };
  const [runs, sessions] = await Promise.all([count("runs"), count("sessions")]);
  return { runs, sessions };
}
