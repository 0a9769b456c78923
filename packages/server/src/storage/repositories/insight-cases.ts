import type { InsightSettings } from "@assay/api";
import { type Kysely, type SelectQueryBuilder, sql, type Transaction } from "kysely";
import { flakiness } from "../../services/insights/aggregates.js";
import type { DialectName } from "../db.js";
import { containsText } from "../like.js";
import type { Database } from "../schema.js";

/**
 * Case-centric test intelligence reads and writes: the automation cases of a
 * project with their aggregates, one test's history and failure groups, its
 * quarantine, and the project's flakiness settings. Every read is driven by
 * an index (docs/analytics.md, migration 008), so its cost follows the page
 * size and the number of tests, never the number of results ever stored.
 */

type Db = Kysely<Database> | Transaction<Database>;
type Order = "asc" | "desc";

export const CASE_SORT_COLUMNS = [
  "flaky_percent",
  "elapsed_average",
  "elapsed_p95",
  "elapsed_change_percent",
  "failure_count",
  "last_result_at",
  "name",
] as const;
export type CaseSortColumn = (typeof CASE_SORT_COLUMNS)[number];

const CASE_COLUMNS = [
  "id",
  "project_id",
  "source_id",
  "key",
  "name",
  "folder",
  "status",
  "result_count",
  "success_count",
  "failure_count",
  "skipped_count",
  "elapsed_average",
  "elapsed_p95",
  "elapsed_change_percent",
  "flaky_percent",
  "is_flaky",
  "recent_outcomes",
  "last_run_id",
  "last_result_at",
  "last_failed_at",
  "last_passed_at",
  "last_failure_group_id",
  "created_at",
] as const;

export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;
export type QuarantineRow = NonNullable<Awaited<ReturnType<typeof findActiveQuarantine>>>;

export function findCase(db: Db, id: number) {
  return db.selectFrom("automation_cases").select(CASE_COLUMNS).where("id", "=", id).executeTakeFirst();
}

export interface CaseFilters {
  projectId: number;
  sourceIds?: number[];
  statuses?: number[];
  flaky?: boolean;
  /** active quarantines only (no expiry, or an expiry after `now`) */
  quarantined?: boolean;
  name?: string;
  folder?: string;
  now: string;
}

export interface CaseWindow {
  offset: number;
  limit: number;
  sort: CaseSortColumn;
  order: Order;
}

/**
 * A page of a project's automation cases, read in the order of the index
 * (project_id, sort column, id); the filters are checked on the way.
 */
export async function listCases(db: Db, dialect: DialectName, filters: CaseFilters, page: CaseWindow) {
  let query = db.selectFrom("automation_cases as c").where("c.project_id", "=", filters.projectId);
  if (filters.sourceIds) query = query.where("c.source_id", "in", filters.sourceIds);
  if (filters.statuses) query = query.where("c.status", "in", filters.statuses);
  if (filters.flaky !== undefined) query = query.where("c.is_flaky", "=", filters.flaky ? 1 : 0);
  if (filters.name) query = query.where(containsText("c.name", filters.name));
  if (filters.folder !== undefined) query = query.where("c.folder", "=", filters.folder);
  if (filters.quarantined !== undefined) {
    const { now, quarantined } = filters;
    query = query.where((eb) => {
      const active = eb
        .selectFrom("automation_case_quarantines as q")
        .select("q.case_id")
        .whereRef("q.case_id", "=", "c.id")
        .where((w) => w.or([w("q.expires_at", "is", null), w("q.expires_at", ">", now)]));
      return quarantined ? eb.exists(active) : eb.not(eb.exists(active));
    });
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await ordered(query.select(CASE_COLUMNS.map((c) => `c.${c}` as const)), dialect, page)
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

/** ORDER BY the sort, then id; nulls lowest on both databases. flaky_percent, elapsed_average and failure_count have indexes (migrations 006, 008); the others sort in memory. */
function ordered<O>(
  query: SelectQueryBuilder<Database & { c: Database["automation_cases"] }, "c", O>,
  dialect: DialectName,
  page: CaseWindow,
) {
  const { sort, order } = page;
  if (sort === "name") {
    const column = dialect === "postgres" ? sql`c.name collate "C"` : sql.ref("c.name");
    return query.orderBy(column, order).orderBy("c.id", order);
  }
  if (sort === "elapsed_change_percent" || sort === "last_result_at") {
    const nulls = order === "asc" ? sql`asc nulls first` : sql`desc nulls last`;
    // SQLite's own order already puts nulls first ascending and last descending, as its index does.
    const column =
      dialect === "postgres" ? sql`${sql.ref(`c.${sort}`)} ${nulls}` : sql`${sql.ref(`c.${sort}`)} ${sql.raw(order)}`;
    return query.orderBy(column).orderBy("c.id", order);
  }
  return query.orderBy(`c.${sort}`, order).orderBy("c.id", order);
}

/** Active quarantines (no expiry, or one after `now`) of these cases. */
export async function activeQuarantines(db: Db, caseIds: readonly number[], now: string) {
  if (caseIds.length === 0) return new Map<number, QuarantineRow>();
  const rows = await db
    .selectFrom("automation_case_quarantines")
    .select(["case_id", "reason", "expires_at", "created_at", "created_by"])
    .where("case_id", "in", caseIds)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .execute();
  return new Map(rows.map((r) => [r.case_id, r]));
}

export function findActiveQuarantine(db: Db, caseId: number, now: string) {
  return db
    .selectFrom("automation_case_quarantines")
    .select(["case_id", "reason", "expires_at", "created_at", "created_by"])
    .where("case_id", "=", caseId)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .executeTakeFirst();
}

/** Creates or replaces the quarantine of a case. */
export async function setQuarantine(
  trx: Db,
  values: { caseId: number; projectId: number; reason: string; expiresAt: string | null; now: string; userId: number },
) {
  const row = {
    case_id: values.caseId,
    project_id: values.projectId,
    reason: values.reason,
    expires_at: values.expiresAt,
    created_at: values.now,
    created_by: values.userId,
  };
  await trx
    .insertInto("automation_case_quarantines")
    .values(row)
    .onConflict((oc) =>
      oc.column("case_id").doUpdateSet({
        reason: row.reason,
        expires_at: row.expires_at,
        created_at: row.created_at,
        created_by: row.created_by,
      }),
    )
    .execute();
  return row;
}

export async function removeQuarantine(trx: Db, caseId: number): Promise<void> {
  await trx.deleteFrom("automation_case_quarantines").where("case_id", "=", caseId).execute();
}

// ------------------------------------------------------------------ history

export interface HistoryFilters {
  caseId: number;
  statusIds?: number[];
  branch?: string;
  /** the test's result_count: the total when nothing filters, so the count costs no read */
  resultCount: number;
}

/**
 * One test's results, newest first, through the index (case_id, id): a page
 * reads its rows from the newest end, whatever the length of the history.
 * Unfiltered, the total is the test's stored result count; a filter counts
 * the matching results (and only a branch filter joins the runs to count).
 */
export async function caseHistory(db: Db, filters: HistoryFilters, page: { offset: number; limit: number }) {
  let query = db
    .selectFrom("automation_run_tests as t")
    .innerJoin("automation_runs as r", "r.id", "t.run_id")
    .where("t.case_id", "=", filters.caseId);
  if (filters.statusIds) query = query.where("t.status_id", "in", filters.statusIds);
  if (filters.branch !== undefined) query = query.where("r.branch", "=", filters.branch);
  const total = await historyTotal(db, filters);
  const rows = await query
    .select([
      "t.id",
      "t.run_id",
      "r.name as run_name",
      "t.thread_id",
      "t.status_id",
      "t.elapsed",
      "t.message",
      "t.failure_group_id",
      "r.commit_sha",
      "r.branch",
      "t.created_at",
    ])
    .orderBy("t.id", "desc")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

export type HistoryRow = Awaited<ReturnType<typeof caseHistory>>["rows"][number];

async function historyTotal(db: Db, filters: HistoryFilters): Promise<number> {
  if (!filters.statusIds && filters.branch === undefined) return filters.resultCount;
  let count = db.selectFrom("automation_run_tests as t").where("t.case_id", "=", filters.caseId);
  if (filters.statusIds) count = count.where("t.status_id", "in", filters.statusIds);
  if (filters.branch !== undefined) {
    const branch = filters.branch;
    count = count.where("t.run_id", "in", (eb) =>
      eb.selectFrom("automation_runs").select("id").where("branch", "=", branch),
    );
  }
  const { total } = await count.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  return Number(total);
}

// ------------------------------------------------------------------ failure groups

/** The failure groups a test failed with, the test's latest failure in each first. */
export async function caseFailureGroups(db: Db, caseId: number, page: { offset: number; limit: number }) {
  const query = db
    .selectFrom("failure_group_tests as m")
    .innerJoin("failure_groups as g", "g.id", "m.group_id")
    .where("m.case_id", "=", caseId);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll("g")
    .select([
      "m.occurrence_count as test_occurrence_count",
      "m.first_seen_at as test_first_seen_at",
      "m.last_seen_at as test_last_seen_at",
    ])
    .orderBy("m.last_seen_at", "desc")
    .orderBy("g.id", "desc")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return { total: Number(total), rows };
}

export type CaseFailureGroupRow = Awaited<ReturnType<typeof caseFailureGroups>>["rows"][number];

// ------------------------------------------------------------------ settings

export async function saveInsightSettings(
  trx: Db,
  projectId: number,
  settings: InsightSettings,
  meta: { now: string; userId: number },
): Promise<void> {
  const row = { project_id: projectId, ...settings, updated_at: meta.now, updated_by: meta.userId };
  await trx
    .insertInto("insight_settings")
    .values(row)
    .onConflict((oc) =>
      oc.column("project_id").doUpdateSet({
        flaky_window: row.flaky_window,
        flaky_threshold_percent: row.flaky_threshold_percent,
        flaky_min_results: row.flaky_min_results,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .execute();
}

/** Rows per statement and per transaction of the flakiness recomputation. */
const RECOMPUTE_CHUNK = 2000;
const DEADLOCK = "40P01";

/**
 * Recomputes `flaky_percent` and `is_flaky` of every automation case of a
 * project from its stored `recent_outcomes` under new settings.
 *
 * A project can have 100,000 tests, and ingest updates these same rows, so
 * the work runs in chunks of RECOMPUTE_CHUNK cases, each in a short
 * transaction of its own, instead of one long transaction that would hold
 * every row (PostgreSQL) or the database's one write lock (SQLite) and stall
 * every append of the project meanwhile. Between chunks appends proceed, and
 * they already use the new settings (saved and committed before this runs).
 *
 * On PostgreSQL each chunk locks its rows (FOR UPDATE) so that an append
 * committing between our read and our write cannot be overwritten with
 * figures from outcomes it has replaced. The chunks walk a source's cases in
 * key order, the order in which an append locks them, so the two never wait
 * on each other in a cycle; should PostgreSQL still report a deadlock, the
 * chunk is retried. The writes are grouped by resulting figures (at most
 * 101 × 2 distinct pairs), a handful of statements per chunk, and only rows
 * whose figures change are written.
 *
 * Cases created after a chunk has passed get their figures from the append
 * that creates them, under the new settings.
 */
export async function recomputeFlakiness(
  db: Kysely<Database>,
  dialect: DialectName,
  projectId: number,
  settings: InsightSettings,
): Promise<number> {
  const sources = await db
    .selectFrom("automation_sources")
    .select("id")
    .where("project_id", "=", projectId)
    .orderBy("id")
    .execute();
  let changed = 0;
  for (const { id: sourceId } of sources) {
    let afterKey: string | null = null;
    for (;;) {
      const result = await withDeadlockRetry(() =>
        db.transaction().execute((trx) => recomputeChunk(trx, dialect, sourceId, afterKey, settings)),
      );
      changed += result.changed;
      if (result.lastKey === null) break;
      afterKey = result.lastKey;
    }
  }
  return changed;
}

async function recomputeChunk(
  trx: Transaction<Database>,
  dialect: DialectName,
  sourceId: number,
  afterKey: string | null,
  settings: InsightSettings,
): Promise<{ changed: number; lastKey: string | null }> {
  let query = trx
    .selectFrom("automation_cases")
    .select(["id", "key", "recent_outcomes", "flaky_percent", "is_flaky"])
    .where("source_id", "=", sourceId);
  if (afterKey !== null) query = query.where("key", ">", afterKey);
  query = query.orderBy("key").limit(RECOMPUTE_CHUNK);
  const rows = await (dialect === "postgres" ? query.forUpdate() : query).execute();
  const byFigures = new Map<string, number[]>();
  for (const row of rows) {
    const figures = flakiness(row.recent_outcomes, settings);
    const isFlaky = figures.is_flaky ? 1 : 0;
    if (figures.flaky_percent === row.flaky_percent && isFlaky === row.is_flaky) continue;
    const key = `${figures.flaky_percent}:${isFlaky}`;
    const ids = byFigures.get(key);
    if (ids) ids.push(row.id);
    else byFigures.set(key, [row.id]);
  }
  let changed = 0;
  for (const [key, ids] of byFigures) {
    const [flakyPercent, isFlaky] = key.split(":").map(Number) as [number, 0 | 1];
    await trx
      .updateTable("automation_cases")
      .set({ flaky_percent: flakyPercent, is_flaky: isFlaky })
      .where("id", "in", ids)
      .execute();
    changed += ids.length;
  }
  const lastKey = rows.length < RECOMPUTE_CHUNK ? null : rows[rows.length - 1]!.key;
  return { changed, lastKey };
}

async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
