import { type Kysely, sql, type Transaction } from "kysely";
import { AGGREGATE_COLUMNS, type StoredAggregates } from "../../services/insights/aggregates.js";
import type { DialectName, Storage } from "../db.js";
import type { Database } from "../schema.js";

/**
 * Storage of retention (docs/analytics.md, "Retention"): the policies, the
 * plan (which completed runs expire), the job lease, and the statements that
 * delete a run chunk by chunk. The rules that tie them together live in
 * services/retention/.
 */

type Db = Kysely<Database> | Transaction<Database>;
type Trx = Transaction<Database>;

/** source_id 0 stores the project-wide policy. */
export const PROJECT_WIDE = 0;

export interface PolicyRow {
  project_id: number;
  source_id: number;
  keep_days: number | null;
  keep_runs: number | null;
}

// ------------------------------------------------------------------ policies

export async function listPolicies(db: Db, projectId?: number): Promise<PolicyRow[]> {
  let query = db.selectFrom("retention_policies").select(["project_id", "source_id", "keep_days", "keep_runs"]);
  if (projectId !== undefined) query = query.where("project_id", "=", projectId);
  return query.orderBy("project_id").orderBy("source_id").execute();
}

export async function replacePolicies(
  trx: Trx,
  projectId: number,
  policies: readonly Omit<PolicyRow, "project_id">[],
  audit: { now: string; userId: number | null },
): Promise<void> {
  await trx.deleteFrom("retention_policies").where("project_id", "=", projectId).execute();
  if (policies.length === 0) return;
  await trx
    .insertInto("retention_policies")
    .values(policies.map((p) => ({ project_id: projectId, ...p, updated_at: audit.now, updated_by: audit.userId })))
    .execute();
}

export async function sourcesOfProject(db: Db, projectId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom("automation_sources")
    .select(["id", "name"])
    .where("project_id", "=", projectId)
    .orderBy("id")
    .execute();
}

export async function projectNames(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("projects").select(["id", "name"]).where("id", "in", ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

// ------------------------------------------------------------------ plan

export interface ExpiredRun {
  id: number;
  created_at: string;
}

/**
 * The completed runs of a source that a policy expires, oldest first: created
 * before `cutoff` (keep_days), or older in (created_at, id) order than the
 * `keepRuns`-th newest completed run (keep_runs). Running runs never match.
 */
export async function expiredRunsOfSource(
  db: Db,
  sourceId: number,
  policy: { cutoff: string | null; keepRuns: number | null },
): Promise<ExpiredRun[]> {
  let boundary: ExpiredRun | undefined;
  if (policy.keepRuns !== null) {
    boundary = await db
      .selectFrom("automation_runs")
      .select(["id", "created_at"])
      .where("source_id", "=", sourceId)
      .where("is_completed", "=", 1)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(1)
      .offset(policy.keepRuns - 1)
      .executeTakeFirst();
  }
  const { cutoff } = policy;
  if (cutoff === null && boundary === undefined) return [];
  return db
    .selectFrom("automation_runs")
    .select(["id", "created_at"])
    .where("source_id", "=", sourceId)
    .where("is_completed", "=", 1)
    .where((eb) => {
      const conditions = [];
      if (cutoff !== null) conditions.push(eb("created_at", "<", cutoff));
      if (boundary) {
        conditions.push(
          eb.or([
            eb("created_at", "<", boundary.created_at),
            eb.and([eb("created_at", "=", boundary.created_at), eb("id", "<", boundary.id)]),
          ]),
        );
      }
      return eb.or(conditions);
    })
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Test rows per run, through the (run_id, id) index. */
export async function testCountsOfRuns(db: Db, runIds: readonly number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (let start = 0; start < runIds.length; start += 1000) {
    const rows = await db
      .selectFrom("automation_run_tests")
      .select(["run_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("run_id", "in", runIds.slice(start, start + 1000))
      .groupBy("run_id")
      .execute();
    for (const row of rows) counts.set(row.run_id, Number(row.n));
  }
  return counts;
}

// ------------------------------------------------------------------ lease

/**
 * Takes the lease `name` for `holder` until `expiresAt` when it is free: absent,
 * expired (a crashed holder's), or already this holder's. Portable: an UPDATE
 * that only matches a free row, else an INSERT that only succeeds when the
 * row is absent.
 */
export async function takeLease(db: Db, name: string, holder: string, now: string, expiresAt: string) {
  const updated = await db
    .updateTable("job_leases")
    .set({ holder, expires_at: expiresAt })
    .where("name", "=", name)
    .where((eb) => eb.or([eb("expires_at", "<", now), eb("holder", "=", holder)]))
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) return true;
  const inserted = await db
    .insertInto("job_leases")
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Extends the lease while `holder` still has it; false when it was lost (expired and taken by another). */
export async function renewLease(db: Db, name: string, holder: string, expiresAt: string): Promise<boolean> {
  const updated = await db
    .updateTable("job_leases")
    .set({ expires_at: expiresAt })
    .where("name", "=", name)
    .where("holder", "=", holder)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom("job_leases").where("name", "=", name).where("holder", "=", holder).execute();
}

export async function findLease(db: Db, name: string) {
  return db.selectFrom("job_leases").select(["holder", "expires_at"]).where("name", "=", name).executeTakeFirst();
}

// ------------------------------------------------------------------ deleting a run

export async function findCompletedRun(db: Db, runId: number) {
  return db
    .selectFrom("automation_runs")
    .select(["id", "project_id", "source_id", "commit_sha"])
    .where("id", "=", runId)
    .where("is_completed", "=", 1)
    .executeTakeFirst();
}

export interface DeletedTestRow {
  id: number;
  case_id: number;
  status_id: number;
  elapsed: number | null;
  failure_group_id: number | null;
}

/** The run's first `limit` test rows, in id order. */
export async function firstTestsOfRun(trx: Trx, runId: number, limit: number): Promise<DeletedTestRow[]> {
  return trx
    .selectFrom("automation_run_tests")
    .select(["id", "case_id", "status_id", "elapsed", "failure_group_id"])
    .where("run_id", "=", runId)
    .orderBy("id")
    .limit(limit)
    .execute();
}

export async function deleteTests(trx: Trx, ids: readonly number[]): Promise<void> {
  await trx.deleteFrom("automation_run_test_details").where("test_id", "in", ids).execute();
  await trx.deleteFrom("automation_run_tests").where("id", "in", ids).execute();
}

/** What is left of a run once its tests are gone: resources, threads, tags, then the run row. */
export async function deleteRunRow(trx: Trx, runId: number): Promise<void> {
  await trx.deleteFrom("automation_run_resources").where("run_id", "=", runId).execute();
  await trx.deleteFrom("automation_run_threads").where("run_id", "=", runId).execute();
  await trx.deleteFrom("automation_run_tags").where("run_id", "=", runId).execute();
  await trx.deleteFrom("automation_runs").where("id", "=", runId).where("is_completed", "=", 1).execute();
}

/**
 * Reads rows `ids` of a table and, on PostgreSQL, locks them FOR UPDATE in
 * the order of `orderKey` compared as JavaScript compares strings: the order
 * in which ingest (storage/repositories/automation-tests.ts, failure-groups.ts)
 * locks the same rows, so a retention chunk and an append never deadlock.
 */
async function readInIngestOrder<Row extends { id: number }>(
  trx: Trx,
  dialect: DialectName,
  table: "automation_cases" | "failure_groups",
  orderKey: "key" | "signature",
  ids: readonly number[],
  columns: readonly string[],
): Promise<Row[]> {
  if (ids.length === 0) return [];
  const keyed = await trx
    .selectFrom(table)
    .select(["id", orderKey] as never)
    .where("id", "in", ids)
    .execute();
  const ordered = (keyed as unknown as { id: number; key?: string; signature?: string }[])
    .map((r) => ({ id: r.id, order: (r.key ?? r.signature)! }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.id - b.id))
    .map((r) => r.id);
  const list = sql.join(columns.map((c) => sql.ref(`t.${c}`)));
  if (dialect === "postgres") {
    const result = await sql<Row>`SELECT ${list} FROM unnest(${ordered}::integer[]) WITH ORDINALITY AS o(id, ord)
      JOIN ${sql.table(table)} AS t ON t.id = o.id ORDER BY o.ord FOR UPDATE OF t`.execute(trx);
    return result.rows;
  }
  const result =
    await sql<Row>`SELECT ${list} FROM ${sql.table(table)} AS t WHERE t.id IN (${sql.join(ordered)})`.execute(trx);
  return result.rows;
}

export type CaseRow = StoredAggregates & { id: number; key: string };

/** The touched cases with their stored aggregates (locked on PostgreSQL, in ingest's order). */
export function readCases(trx: Trx, dialect: DialectName, ids: readonly number[]): Promise<CaseRow[]> {
  return readInIngestOrder<CaseRow>(trx, dialect, "automation_cases", "key", ids, ["id", "key", ...AGGREGATE_COLUMNS]);
}

export interface GroupRow {
  id: number;
  occurrence_count: number;
  test_count: number;
  run_count: number;
  first_run_id: number;
  last_run_id: number;
}

/** The touched failure groups (locked on PostgreSQL, in ingest's order: after the cases). */
export function readGroups(trx: Trx, dialect: DialectName, ids: readonly number[]): Promise<GroupRow[]> {
  return readInIngestOrder<GroupRow>(trx, dialect, "failure_groups", "signature", ids, [
    "id",
    "occurrence_count",
    "test_count",
    "run_count",
    "first_run_id",
    "last_run_id",
  ]);
}

export async function groupsOfRun(trx: Trx, runId: number): Promise<number[]> {
  const rows = await trx.selectFrom("failure_group_runs").select("group_id").where("run_id", "=", runId).execute();
  return rows.map((r) => r.group_id);
}

/** One result as ingest applied it: its run's commit for same-commit flakiness. */
export interface ResultRow {
  id: number;
  case_id: number;
  run_id: number;
  status_id: number;
  elapsed: number | null;
  failure_group_id: number | null;
  created_at: string;
  commit_sha: string | null;
}

function resultQuery(trx: Trx) {
  return trx
    .selectFrom("automation_run_tests as t")
    .innerJoin("automation_runs as r", "r.id", "t.run_id")
    .select(["t.id", "t.case_id", "t.run_id", "t.status_id", "t.elapsed", "t.failure_group_id", "t.created_at"])
    .select("r.commit_sha");
}

/** Every remaining result of these cases, oldest first per case (for cases with few results left). */
export async function resultsOfCases(trx: Trx, caseIds: readonly number[]): Promise<ResultRow[]> {
  if (caseIds.length === 0) return [];
  return resultQuery(trx).where("t.case_id", "in", caseIds).orderBy("t.case_id").orderBy("t.id").execute();
}

/** A page of one case's remaining results, newest first, older than `beforeId`. */
export async function resultsOfCaseBefore(
  trx: Trx,
  caseId: number,
  beforeId: number | null,
  limit: number,
): Promise<ResultRow[]> {
  let query = resultQuery(trx).where("t.case_id", "=", caseId);
  if (beforeId !== null) query = query.where("t.id", "<", beforeId);
  return query.orderBy("t.id", "desc").limit(limit).execute();
}

export interface HistoryStart {
  /** the case's oldest remaining result */
  first_id: number | null;
  /** the run of its oldest remaining passed or failed result, and that run's commit */
  first_decisive_run_id: number | null;
  first_decisive_commit_sha: string | null;
}

/**
 * Where each case's remaining history starts: index seeks on (case_id, id),
 * one correlated subquery per case, portable to both databases.
 */
export async function historyStarts(
  trx: Trx,
  caseIds: readonly number[],
  decisiveStatusIds: readonly number[],
): Promise<Map<number, HistoryStart>> {
  const starts = new Map<number, HistoryStart>();
  if (caseIds.length === 0) return starts;
  const rows = await trx
    .selectFrom("automation_cases as c")
    .select("c.id")
    .select((eb) => [
      eb
        .selectFrom("automation_run_tests as t")
        .select((s) => s.fn.min("t.id").as("m"))
        .whereRef("t.case_id", "=", "c.id")
        .as("first_id"),
      eb
        .selectFrom("automation_run_tests as t")
        .select("t.run_id")
        .whereRef("t.case_id", "=", "c.id")
        .where("t.status_id", "in", decisiveStatusIds.length > 0 ? decisiveStatusIds : [-1])
        .orderBy("t.id")
        .limit(1)
        .as("first_decisive_run_id"),
    ])
    .where("c.id", "in", caseIds)
    .execute();
  const runIds = [...new Set(rows.map((r) => r.first_decisive_run_id).filter((id): id is number => id !== null))];
  const commits = new Map<number, string | null>();
  for (let start = 0; start < runIds.length; start += 1000) {
    const runs = await trx
      .selectFrom("automation_runs")
      .select(["id", "commit_sha"])
      .where("id", "in", runIds.slice(start, start + 1000))
      .execute();
    for (const run of runs) commits.set(run.id, run.commit_sha);
  }
  for (const row of rows) {
    const runId = row.first_decisive_run_id === null ? null : Number(row.first_decisive_run_id);
    starts.set(row.id, {
      first_id: row.first_id === null ? null : Number(row.first_id),
      first_decisive_run_id: runId,
      first_decisive_commit_sha: runId === null ? null : (commits.get(runId) ?? null),
    });
  }
  return starts;
}

// ------------------------------------------------------------------ failure groups

/** Takes deleted failures off one group's member rows; returns how many (group, test) members are gone. */
export async function subtractGroupTests(trx: Trx, groupId: number, byCase: ReadonlyMap<number, number>) {
  const byCount = new Map<number, number[]>();
  for (const [caseId, count] of byCase) {
    const ids = byCount.get(count);
    if (ids) ids.push(caseId);
    else byCount.set(count, [caseId]);
  }
  for (const [count, caseIds] of byCount) {
    for (let start = 0; start < caseIds.length; start += 1000) {
      await trx
        .updateTable("failure_group_tests")
        .set({ occurrence_count: sql`occurrence_count - ${count}` })
        .where("group_id", "=", groupId)
        .where("case_id", "in", caseIds.slice(start, start + 1000))
        .execute();
    }
  }
  const caseIds = [...byCase.keys()];
  let removed = 0;
  for (let start = 0; start < caseIds.length; start += 1000) {
    const deleted = await trx
      .deleteFrom("failure_group_tests")
      .where("group_id", "=", groupId)
      .where("case_id", "in", caseIds.slice(start, start + 1000))
      .where("occurrence_count", "<=", 0)
      .executeTakeFirst();
    removed += Number(deleted.numDeletedRows);
  }
  return removed;
}

/** Takes `count` failures off the (group, run) row, deleting it at 0 (or always, with `all`); true when it went. */
export async function subtractGroupRun(trx: Trx, groupId: number, runId: number, count: number, all = false) {
  if (!all) {
    await trx
      .updateTable("failure_group_runs")
      .set({ occurrence_count: sql`occurrence_count - ${count}` })
      .where("group_id", "=", groupId)
      .where("run_id", "=", runId)
      .execute();
  }
  let query = trx.deleteFrom("failure_group_runs").where("group_id", "=", groupId).where("run_id", "=", runId);
  if (!all) query = query.where("occurrence_count", "<=", 0);
  const deleted = await query.executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}

export async function updateGroupCounts(
  trx: Trx,
  groupId: number,
  minus: { occurrences: number; tests: number; runs: number },
): Promise<void> {
  await trx
    .updateTable("failure_groups")
    .set({
      occurrence_count: sql`occurrence_count - ${minus.occurrences}`,
      test_count: sql`test_count - ${minus.tests}`,
      run_count: sql`run_count - ${minus.runs}`,
    })
    .where("id", "=", groupId)
    .execute();
}

/** first_seen_at / first_run_id from the earliest remaining (group, run) row, through (group_id, seen_at). */
export async function refreshGroupFirstSeen(trx: Trx, groupId: number): Promise<void> {
  const first = await trx
    .selectFrom("failure_group_runs")
    .select(["run_id", "seen_at"])
    .where("group_id", "=", groupId)
    .orderBy("seen_at")
    .orderBy("run_id")
    .limit(1)
    .executeTakeFirst();
  if (!first) return;
  await trx
    .updateTable("failure_groups")
    .set({ first_run_id: first.run_id, first_seen_at: first.seen_at })
    .where("id", "=", groupId)
    .execute();
}

/**
 * last_run_id / last_seen_at after the group's latest run went: the latest
 * remaining (group, run) row, and the time of the group's last failure in it.
 */
export async function refreshGroupLastSeen(trx: Trx, groupId: number): Promise<void> {
  const last = await trx
    .selectFrom("failure_group_runs")
    .select(["run_id", "seen_at"])
    .where("group_id", "=", groupId)
    .orderBy("seen_at", "desc")
    .orderBy("run_id", "desc")
    .limit(1)
    .executeTakeFirst();
  if (!last) return;
  const latest = await trx
    .selectFrom("automation_run_tests")
    .select((eb) => eb.fn.max("created_at").as("at"))
    .where("run_id", "=", last.run_id)
    .where("failure_group_id", "=", groupId)
    .executeTakeFirst();
  await trx
    .updateTable("failure_groups")
    .set({ last_run_id: last.run_id, last_seen_at: (latest?.at as string | null) ?? last.seen_at })
    .where("id", "=", groupId)
    .execute();
}

/** Deletes a group that has no occurrences left, and every pointer of the project's tests at it. */
export async function deleteGroup(trx: Trx, projectId: number, groupId: number): Promise<void> {
  await trx.deleteFrom("failure_group_tests").where("group_id", "=", groupId).execute();
  await trx.deleteFrom("failure_group_runs").where("group_id", "=", groupId).execute();
  await trx.deleteFrom("failure_groups").where("id", "=", groupId).execute();
  await trx
    .updateTable("automation_cases")
    .set({ last_failure_group_id: null })
    .where("project_id", "=", projectId)
    .where("last_failure_group_id", "=", groupId)
    .execute();
}

// ------------------------------------------------------------------ SQLite disk space

/** `PRAGMA auto_vacuum`: 0 none, 1 full, 2 incremental. */
export function sqliteAutoVacuum(storage: Storage): number | null {
  return storage.sqlite ? Number(storage.sqlite.pragma("auto_vacuum", { simple: true })) : null;
}

/**
 * Gives up to `pages` free pages back to the file system, in a transaction
 * of its own so it never runs inside another request's. `exec`, not a
 * prepared statement: stepping the pragma once frees a single page. Returns
 * the free pages left.
 */
export async function incrementalVacuum(storage: Storage, pages: number): Promise<number> {
  const sqlite = storage.sqlite;
  if (!sqlite) return 0;
  return storage.db.transaction().execute(async () => {
    sqlite.exec(`PRAGMA incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
    return Number(sqlite.pragma("freelist_count", { simple: true }));
  });
}

/**
 * Rewrites the whole SQLite file (`VACUUM`): it shrinks to its data, and a
 * file still in auto_vacuum NONE becomes INCREMENTAL (openSqlite asks for it;
 * an existing file takes it only through a VACUUM). Holds the write lock for
 * the whole rewrite and needs free disk space of the file's size.
 */
export function vacuumSqlite(storage: Storage): void {
  storage.sqlite?.exec("VACUUM");
  storage.sqlite?.pragma("wal_checkpoint(TRUNCATE)");
}
