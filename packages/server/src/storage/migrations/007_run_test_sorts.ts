import { type Kysely, sql } from "kysely";
import type { DialectName } from "../db.js";

/**
 * Sorts of `GET /automation/runs/{id}/tests` (spec §7) that stay cheap on a
 * run of 100,000 tests, and links looked up from the automation case's side.
 *
 * - (run_id, status_id, id): the status sort reads only this index (no table
 *   row) before sorting, the `status_id` filter and its count are ranges of it.
 * - (run_id, elapsed, id): the elapsed sort is read in index order. Null
 *   elapsed sorts as the lowest value on both databases (SQLite's own order;
 *   on PostgreSQL the index is NULLS FIRST, so a backward scan gives
 *   `desc nulls last`), as in 008.
 * - No name index: names are up to 750 characters, an index on them roughly
 *   doubled the CPU cost of every stored test in a measurement (and a long
 *   multi-byte name can exceed PostgreSQL's B-tree entry limit, failing the
 *   append). Sorting a 100,000-test run by name sorts (name, id) pairs only
 *   (about 150 ms for the last page on SQLite), then reads the page's rows.
 * - repository_case_automation_links (automation_case_id, case_id): the
 *   primary key starts with case_id; tests and automation cases show their
 *   linked repository cases.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema
    .createIndex("automation_run_tests_run_status")
    .on("automation_run_tests")
    .columns(["run_id", "status_id", "id"])
    .execute();
  if (dialect === "postgres") {
    await sql`create index automation_run_tests_run_elapsed on automation_run_tests (run_id, elapsed nulls first, id)`.execute(
      db,
    );
  } else {
    await db.schema
      .createIndex("automation_run_tests_run_elapsed")
      .on("automation_run_tests")
      .columns(["run_id", "elapsed", "id"])
      .execute();
  }
  await db.schema
    .createIndex("repository_case_automation_links_automation_case")
    .on("repository_case_automation_links")
    .columns(["automation_case_id", "case_id"])
    .execute();
}
