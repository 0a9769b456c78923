import type { Kysely } from "kysely";

/**
 * Indexes for the sorts of `GET /x/projects/{id}/automation/cases` beyond
 * 006's flaky_percent and elapsed_average: (project_id, failure_count, id),
 * so the most-failing page is read in index order.
 *
 * Deliberately not indexed (those sorts order the project's tests in memory,
 * which costs in proportion to its number of tests, never to its results):
 * - elapsed_p95 and elapsed_change_percent: a new test's values land at a
 *   random place in such an index, and every append moves most tests in it;
 *   measured, two more indexes cost about a third of the insert time of a
 *   new test identity, i.e. of ingest on a new suite;
 * - last_result_at: every append rewrites it for each test it touches;
 * - name: a B-tree entry cannot hold a 750-character name on PostgreSQL
 *   (2,704 bytes at most).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("automation_cases_project_failures")
    .on("automation_cases")
    .columns(["project_id", "failure_count", "id"])
    .execute();
}
