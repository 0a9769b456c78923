import type { Kysely } from "kysely";
import type { DialectName } from "../db.js";
import { withId } from "./001_initial.js";

/**
 * Recording exploratory sessions (Assay's /x extension): a session's charter
 * and free notes (plain text), its timer (`timer_started_at` is set while the
 * timer runs; pausing adds the running span to `elapsed`), and files attached
 * to the session (metadata here, the files in the file store, like case
 * attachments).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.alterTable("sessions").addColumn("charter", "text").execute();
  await db.schema.alterTable("sessions").addColumn("notes", "text").execute();
  await db.schema.alterTable("sessions").addColumn("timer_started_at", "text").execute();

  await withId(db.schema.createTable("session_attachments"), dialect)
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .execute();
  await db.schema.createIndex("session_attachments_session").on("session_attachments").column("session_id").execute();
}
