import type { Kysely } from "kysely";
import type { Database } from "../schema.js";

/** The user a request acts for, signed in with an API token or a web session. */
export interface AuthUser {
  id: number;
  name: string;
  email: string;
  timezone: string;
  date_format: string;
  time_format: string;
  role_id: number;
  role_permissions: number;
  is_api: number;
}

/** A user found by an API token, with that token's id and last use. */
export interface TokenUser extends AuthUser {
  token_id: number;
  token_last_used_at: string | null;
}

export async function findUserByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<TokenUser | undefined> {
  return db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select([
      "u.id",
      "u.name",
      "u.email",
      "u.timezone",
      "u.date_format",
      "u.time_format",
      "u.role_id",
      "r.permissions as role_permissions",
      "u.is_api",
      "t.id as token_id",
      "t.last_used_at as token_last_used_at",
    ])
    .where("t.token_hash", "=", tokenHash)
    .where("t.revoked_at", "is", null)
    .where("u.is_active", "=", 1)
    .executeTakeFirst();
}

export async function touchToken(db: Kysely<Database>, tokenId: number, now: string): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", tokenId).execute();
}

export async function groupIdsOfUser(db: Kysely<Database>, userId: number): Promise<number[]> {
  const rows = await db.selectFrom("group_members").select("group_id").where("user_id", "=", userId).execute();
  return rows.map((r) => r.group_id);
}
