import { type Kysely, sql } from "kysely";
import type { DialectName } from "../db.js";

/**
 * Signing in to the web UI: a password per user (scrypt, see lib/passwords.ts),
 * server-side sessions (the cookie holds a secret, the table its SHA-256), and
 * one-time links (invites and password resets, also stored as SHA-256).
 */
export async function up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
  await db.schema.alterTable("users").addColumn("password_hash", "text").execute();

  await db.schema
    .createTable("web_sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("user_agent", "text")
    .addColumn("ip", "text")
    .execute();
  await db.schema.createIndex("web_sessions_user").on("web_sessions").column("user_id").execute();

  await db.schema
    .createTable("one_time_links")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('invite', 'password')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("one_time_links_user").on("one_time_links").column("user_id").execute();
}
