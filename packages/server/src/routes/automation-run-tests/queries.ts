import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { DialectName } from "../../storage/db.js";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database>;

export type RunTestSortColumn = "id" | "name" | "status" | "elapsed" | "created_at";

export interface RunTestFilter {
  runId: number;
  threadId?: number;
  /** result status ids to keep (an empty list keeps none) */
  statusIds?: number[];
}

export interface RunTestWindow {
  offset: number;
  limit: number;
  sort: RunTestSortColumn;
  order: "asc" | "desc";
}

/** Result status ids counted as success and as failure; every other status is neutral. */
export interface OutcomeStatusIds {
  passed: readonly number[];
  failed: readonly number[];
}

/** A test result's columns with its case's key, as the run-test presenters take them. */
export const TEST_COLUMNS = [
  "t.id",
  "t.run_id",
  "t.thread_id",
  "t.case_id",
  "t.name",
  "t.folder",
  "t.status_id",
  "t.elapsed",
  "t.file",
  "t.line",
  "t.assertions",
  "t.message",
  "t.failure_group_id",
  "t.created_at",
  "c.key",
] as const;

export async function findThreadOfRun(db: Db, threadId: number) {
  return db.selectFrom("automation_run_threads").select(["id", "run_id"]).where("id", "=", threadId).executeTakeFirst();
}

/**
 * One page of a run's tests. The count and the page's ids come from the
 * run's indexes ((run_id, id), (run_id, status_id, id), (run_id, elapsed, id),
 * migration 007); only the page's rows are then read, joined to their
 * automation case for the key.
 */
export async function listRunTests(
  db: Db,
  dialect: DialectName,
  outcomes: OutcomeStatusIds,
  filter: RunTestFilter,
  window: RunTestWindow,
) {
  let query = db.selectFrom("automation_run_tests").where("run_id", "=", filter.runId);
  if (filter.threadId !== undefined) query = query.where("thread_id", "=", filter.threadId);
  if (filter.statusIds !== undefined) {
    const ids = filter.statusIds;
    query = ids.length > 0 ? query.where("status_id", "in", ids) : query.where(sql<boolean>`1 = 0`);
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const count = Number(total);
  if (count === 0 || window.offset >= count) return { total: count, rows: [] };
  const page = await ordered(query.select("id"), dialect, outcomes, window)
    .offset(window.offset)
    .limit(window.limit)
    .execute();
  const ids = page.map((r) => r.id);
  const rows = await db
    .selectFrom("automation_run_tests as t")
    .innerJoin("automation_cases as c", "c.id", "t.case_id")
    .select(TEST_COLUMNS)
    .where("t.id", "in", ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { total: count, rows: ids.map((id) => byId.get(id)).filter((r) => r !== undefined) };
}

export type RunTestRow = Awaited<ReturnType<typeof listRunTests>>["rows"][number];

/**
 * ORDER BY of each sort, always ending with id in the same direction:
 * - status: the outcome (1 neutral, 2 success, 3 failure), then the result
 *   status id, read from the (run_id, status_id, id) index without table rows;
 * - elapsed: null is the lowest value on both databases, as the index orders it;
 * - name: by code point on both databases (PostgreSQL's "C" collation).
 */
function ordered<O>(
  query: SelectQueryBuilder<Database, "automation_run_tests", O>,
  dialect: DialectName,
  outcomes: OutcomeStatusIds,
  window: RunTestWindow,
) {
  const { sort, order } = window;
  switch (sort) {
    case "status":
      return query.orderBy(outcomeOf(outcomes), order).orderBy("status_id", order).orderBy("id", order);
    case "elapsed": {
      // SQLite already puts nulls first ascending and last descending.
      const nulls = dialect === "postgres" ? (order === "asc" ? sql` nulls first` : sql` nulls last`) : sql``;
      return query.orderBy(sql`${sql.ref("elapsed")} ${sql.raw(order)}${nulls}`).orderBy("id", order);
    }
    case "name": {
      const column = dialect === "postgres" ? sql`${sql.ref("name")} collate "C"` : sql.ref("name");
      return query.orderBy(column, order).orderBy("id", order);
    }
    case "created_at":
      return query.orderBy("created_at", order).orderBy("id", order);
    default:
      return query.orderBy("id", order);
  }
}

/** The outcome of a result status as SQL (the catalog's ids as literals). */
function outcomeOf(outcomes: OutcomeStatusIds): RawBuilder<number> {
  const list = (ids: readonly number[]) => sql.join(ids.map((id) => sql.lit(id)));
  const whens: RawBuilder<unknown>[] = [];
  if (outcomes.passed.length > 0) whens.push(sql`when ${sql.ref("status_id")} in (${list(outcomes.passed)}) then 2`);
  if (outcomes.failed.length > 0) whens.push(sql`when ${sql.ref("status_id")} in (${list(outcomes.failed)}) then 3`);
  if (whens.length === 0) return sql<number>`1`;
  return sql<number>`case ${sql.join(whens, sql` `)} else 1 end`;
}

/** The lowest repository case id linked to each automation case. */
export async function firstLinkedCases(db: Db, automationCaseIds: readonly number[]): Promise<Map<number, number>> {
  const unique = [...new Set(automationCaseIds)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom("repository_case_automation_links")
    .select((eb) => ["automation_case_id", eb.fn.min<number>("case_id").as("case_id")])
    .where("automation_case_id", "in", unique)
    .groupBy("automation_case_id")
    .execute();
  return new Map(rows.map((r) => [r.automation_case_id, Number(r.case_id)]));
}
