import type { Kysely } from "kysely";
import type { DialectName } from "../db.js";
import { withId } from "./001_initial.js";

/**
 * Files attached to manual run results (screenshots, logs): metadata here,
 * the files in the file store like case attachments. A result's attachments
 * go with it (cascade); the store's files are removed by whoever deletes.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable("run_result_attachments"), dialect)
    .addColumn("result_id", "integer", (c) => c.notNull().references("run_results.id").onDelete("cascade"))
    .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .execute();
  await db.schema
    .createIndex("run_result_attachments_result")
    .on("run_result_attachments")
    .column("result_id")
    .execute();
  await db.schema.createIndex("run_result_attachments_run").on("run_result_attachments").column("run_id").execute();
}
