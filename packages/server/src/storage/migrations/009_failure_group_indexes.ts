import type { Kysely } from "kysely";
import type { DialectName } from "../db.js";

/**
 * One index per sort of `GET /x/projects/{id}/failure-groups`, so every page
 * is read in index order (006 already has (project_id, last_seen_at)). Each is
 * (project_id, column, id): the list orders by the column, then by id, in the
 * same direction. The columns are never null.
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  for (const column of ["first_seen_at", "occurrence_count", "test_count", "run_count"]) {
    await db.schema
      .createIndex(`failure_groups_project_${column}`)
      .on("failure_groups")
      .columns(["project_id", column, "id"])
      .execute();
  }
}
