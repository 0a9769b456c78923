import { type Kysely, type RawBuilder, sql, type Transaction } from "kysely";
import type { Database } from "../schema.js";
import { countColumns, type RunRow } from "./automation.js";

/**
 * Queries of the run- and project-centric test intelligence endpoints: run
 * comparison, failure groups, project trends (docs/analytics.md). Each one
 * reads through an index whose range grows with one run, one group or one
 * time window, never with the whole history of a project.
 */

type Db = Kysely<Database> | Transaction<Database>;

// ------------------------------------------------------------------ run comparison

export type BaselineRule = "same_branch_and_config" | "same_source";

/**
 * The previous completed run (lower id) of the run's source that the comparison
 * takes as its baseline: first one of the same branch and configuration (a run
 * without a branch but with a configuration: the same configuration), else any
 * of the same source. Each is one seek, newest first, in the (source_id, branch,
 * config_id, id) or the (source_id, id) index.
 */
export async function findBaselineRun(db: Db, run: RunRow): Promise<{ row: RunRow; rule: BaselineRule } | null> {
  const previous = () =>
    db
      .selectFrom("automation_runs")
      .selectAll()
      .where("source_id", "=", run.source_id)
      .where("id", "<", run.id)
      .where("is_completed", "=", 1)
      .orderBy("id", "desc")
      .limit(1);
  if (run.branch !== null || run.config_id !== null) {
    let query = previous();
    if (run.branch !== null) {
      query = query.where("branch", "=", run.branch);
      query =
        run.config_id === null ? query.where("config_id", "is", null) : query.where("config_id", "=", run.config_id);
    } else {
      query = query.where("config_id", "=", run.config_id!);
    }
    const row = await query.executeTakeFirst();
    if (row) return { row, rule: "same_branch_and_config" };
  }
  const row = await previous().executeTakeFirst();
  return row ? { row, rule: "same_source" } : null;
}

/** A test result with all the comparison reads of it (mergeComparison's input; storage/repositories/comparison-tests.ts reads it in parts). */
export interface ComparisonTestRow {
  case_id: number;
  name: string;
  folder: string;
  status_id: number;
  elapsed: number | null;
  message: string | null;
  failure_group_id: number | null;
}

/** Automation cases of the project under a quarantine that has not expired at `now`. */
export async function quarantinedCases(db: Db, projectId: number, now: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom("automation_case_quarantines")
    .select("case_id")
    .where("project_id", "=", projectId)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .execute();
  return new Set(rows.map((r) => r.case_id));
}

// ------------------------------------------------------------------ failure groups

export type FailureGroupRow = Awaited<ReturnType<typeof findFailureGroup>> & {};
export type RunFailureGroupRow = FailureGroupRow & { run_occurrence_count: number };

export async function findFailureGroup(db: Db, id: number) {
  return db.selectFrom("failure_groups").selectAll().where("id", "=", id).executeTakeFirst();
}

interface Page {
  offset: number;
  limit: number;
}

/** The failure groups seen in a run, most failures in the run first. */
export async function runFailureGroups(
  db: Db,
  runId: number,
  page: Page,
): Promise<{ total: number; rows: RunFailureGroupRow[] }> {
  const [count, rows] = await Promise.all([
    db
      .selectFrom("failure_group_runs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("run_id", "=", runId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("failure_group_runs as r")
      .innerJoin("failure_groups as g", "g.id", "r.group_id")
      .selectAll("g")
      .select("r.occurrence_count as run_occurrence_count")
      .where("r.run_id", "=", runId)
      .orderBy("r.occurrence_count", "desc")
      .orderBy("g.id", "asc")
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

export const FAILURE_GROUP_SORTS = [
  "last_seen_at",
  "first_seen_at",
  "occurrence_count",
  "test_count",
  "run_count",
] as const;
export type FailureGroupSort = (typeof FAILURE_GROUP_SORTS)[number];

/** A project's failure groups: `since` keeps those last seen at or after it; ties are broken by id. */
export async function projectFailureGroups(
  db: Db,
  filters: { projectId: number; since?: string },
  page: Page & { sort: FailureGroupSort; order: "asc" | "desc" },
): Promise<{ total: number; rows: FailureGroupRow[] }> {
  let query = db.selectFrom("failure_groups").where("project_id", "=", filters.projectId);
  if (filters.since !== undefined) query = query.where("last_seen_at", ">=", filters.since);
  const [count, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    query
      .selectAll()
      .orderBy(page.sort, page.order)
      .orderBy("id", page.order)
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

/** The tests of a group with the most occurrences first. */
export async function failureGroupTests(db: Db, groupId: number, limit: number) {
  return db
    .selectFrom("failure_group_tests as t")
    .innerJoin("automation_cases as c", "c.id", "t.case_id")
    .select(["t.case_id", "c.name", "c.folder", "t.occurrence_count", "t.first_seen_at", "t.last_seen_at"])
    .where("t.group_id", "=", groupId)
    .orderBy("t.occurrence_count", "desc")
    .orderBy("t.case_id", "asc")
    .limit(limit)
    .execute();
}

/** The newest runs in which a group was seen (the (group_id, seen_at) index). */
export async function failureGroupRecentRuns(db: Db, groupId: number, limit: number) {
  return db
    .selectFrom("failure_group_runs as g")
    .innerJoin("automation_runs as r", "r.id", "g.run_id")
    .select(["g.run_id", "r.name", "g.occurrence_count", "g.seen_at"])
    .where("g.group_id", "=", groupId)
    .orderBy("g.seen_at", "desc")
    .orderBy("g.run_id", "desc")
    .limit(limit)
    .execute();
}

// ------------------------------------------------------------------ project trends

export interface TrendRunRow {
  day: string;
  source_id: number;
  run_count: number;
  failed_run_count: number;
  wall_elapsed: number;
}

export interface TrendThreadRow {
  day: string;
  source_id: number;
  tests_elapsed: number;
  /** summed count_N per status id */
  counts: Map<number, number>;
}

/** UTC day (YYYY-MM-DD) of an ISO-8601 UTC text column: the same expression on both databases. */
function dayOf(column: string): RawBuilder<string> {
  return sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}

/**
 * Per UTC day of creation and source: the project's runs created at or after
 * `since` (the (project_id, created_at) index), and the sums of their threads'
 * counters. Two grouped queries, so a run's threads never multiply its count.
 */
export async function trendRows(
  db: Db,
  filters: { projectId: number; since: string; sourceIds?: number[] },
): Promise<{ runs: TrendRunRow[]; threads: TrendThreadRow[] }> {
  let runs = db
    .selectFrom("automation_runs as r")
    .where("r.project_id", "=", filters.projectId)
    .where("r.created_at", ">=", filters.since);
  if (filters.sourceIds) runs = runs.where("r.source_id", "in", filters.sourceIds);
  const day = dayOf("r.created_at");
  const columns = countColumns();
  const [runRows, threadRows] = await Promise.all([
    runs
      .select((eb) => [
        day.as("day"),
        "r.source_id",
        eb.fn.countAll<number>().as("run_count"),
        sql<number>`sum(case when ${sql.ref("r.status")} = 3 then 1 else 0 end)`.as("failed_run_count"),
        sql<number>`sum(case when ${sql.ref("r.is_completed")} = 1 then coalesce(${sql.ref("r.elapsed")}, 0) else 0 end)`.as(
          "wall_elapsed",
        ),
      ])
      .groupBy([day, "r.source_id"])
      .execute(),
    runs
      .innerJoin("automation_run_threads as t", "t.run_id", "r.id")
      .select([
        day.as("day"),
        "r.source_id",
        sql<number>`sum(${sql.ref("t.tests_elapsed")})`.as("tests_elapsed"),
        ...columns.map((c) => sql<number>`sum(${sql.ref(`t.${c}`)})`.as(c)),
      ])
      .groupBy([day, "r.source_id"])
      .execute(),
  ]);
  return {
    // PostgreSQL returns sums of bigint columns as numeric text.
    runs: runRows.map((r) => ({
      day: r.day,
      source_id: r.source_id,
      run_count: Number(r.run_count),
      failed_run_count: Number(r.failed_run_count),
      wall_elapsed: Number(r.wall_elapsed),
    })),
    threads: threadRows.map((r) => {
      const row = r as unknown as Record<string, unknown>;
      const counts = new Map<number, number>();
      columns.forEach((c, i) => {
        counts.set(i + 1, Number(row[c] ?? 0));
      });
      return { day: r.day, source_id: r.source_id, tests_elapsed: Number(r.tests_elapsed ?? 0), counts };
    }),
  };
}
