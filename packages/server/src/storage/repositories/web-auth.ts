import { type Kysely, sql } from "kysely";
import type { Database, OneTimeLinkTable, WebSessionTable } from "../schema.js";
import type { AuthUser } from "./users.js";

type Db = Kysely<Database>;

const USER_COLUMNS = [
  "u.id",
  "u.name",
  "u.email",
  "u.timezone",
  "u.date_format",
  "u.time_format",
  "u.role_id",
  "r.permissions as role_permissions",
  "u.is_api",
] as const;

/** A user who may sign in (active), with the stored password hash and the role's name. */
export interface SignInUser extends AuthUser {
  password_hash: string | null;
  role_name: string;
}

/**
 * The active user with this e-mail: an exact match first, else the only
 * case-insensitive one (e-mail addresses are typed in any case).
 */
export async function findSignInUser(db: Db, email: string): Promise<SignInUser | undefined> {
  const base = () =>
    db
      .selectFrom("users as u")
      .innerJoin("roles as r", "r.id", "u.role_id")
      .select([...USER_COLUMNS, "u.password_hash", "r.name as role_name"])
      .where("u.is_active", "=", 1);
  const exact = await base().where("u.email", "=", email).executeTakeFirst();
  if (exact) return exact;
  const folded = await base().where(sql<string>`lower(u.email)`, "=", email.toLowerCase()).limit(2).execute();
  return folded.length === 1 ? folded[0] : undefined;
}

export async function findUserById(db: Db, userId: number): Promise<SignInUser | undefined> {
  return db
    .selectFrom("users as u")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select([...USER_COLUMNS, "u.password_hash", "r.name as role_name"])
    .where("u.id", "=", userId)
    .where("u.is_active", "=", 1)
    .executeTakeFirst();
}

/** Any user (active or not) with this e-mail, compared case-insensitively. */
export async function findUserByEmailFolded(db: Db, email: string) {
  const rows = await db
    .selectFrom("users")
    .select(["id", "email", "name", "is_active", "password_hash"])
    .where(sql<string>`lower(email)`, "=", email.toLowerCase())
    .orderBy("id")
    .execute();
  return rows.find((r) => r.email === email) ?? rows[0];
}

export async function setPasswordHash(db: Db, userId: number, hash: string): Promise<void> {
  await db.updateTable("users").set({ password_hash: hash }).where("id", "=", userId).execute();
}

// Sessions

export type WebSessionRow = WebSessionTable;

/** A session with its (active) user, by the digest of the cookie's secret. */
export interface SessionWithUser {
  session: Pick<WebSessionTable, "id" | "csrf_token" | "created_at" | "last_seen_at" | "expires_at">;
  user: AuthUser & { role_name: string };
}

export async function findSessionWithUser(db: Db, id: string): Promise<SessionWithUser | undefined> {
  const row = await db
    .selectFrom("web_sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .innerJoin("roles as r", "r.id", "u.role_id")
    .select([
      ...USER_COLUMNS,
      "r.name as role_name",
      "s.id as session_id",
      "s.csrf_token",
      "s.created_at as session_created_at",
      "s.last_seen_at",
      "s.expires_at",
    ])
    .where("s.id", "=", id)
    .where("u.is_active", "=", 1)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_id, csrf_token, session_created_at, last_seen_at, expires_at, ...user } = row;
  return {
    session: { id: session_id, csrf_token, created_at: session_created_at, last_seen_at, expires_at },
    user,
  };
}

export async function insertSession(db: Db, row: WebSessionTable): Promise<void> {
  await db.insertInto("web_sessions").values(row).execute();
}

export async function touchSession(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable("web_sessions").set({ last_seen_at: now }).where("id", "=", id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("web_sessions").where("id", "=", id).execute();
}

/** Ends every session of a user; returns how many there were. */
export async function deleteUserSessions(db: Db, userId: number): Promise<number> {
  const result = await db.deleteFrom("web_sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes sessions past their absolute end or idle for longer than `idleSince` allows, and old links. */
export async function purgeWebAuth(db: Db, now: string, idleSince: string, linksBefore: string): Promise<void> {
  await db
    .deleteFrom("web_sessions")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", idleSince)]))
    .execute();
  await db.deleteFrom("one_time_links").where("expires_at", "<=", linksBefore).execute();
}

// One-time links

export async function insertLink(db: Db, row: OneTimeLinkTable): Promise<void> {
  await db.insertInto("one_time_links").values(row).execute();
}

/** Deletes the user's links that were never used (a new link replaces them). */
export async function deleteUnusedLinks(db: Db, userId: number): Promise<void> {
  await db.deleteFrom("one_time_links").where("user_id", "=", userId).where("used_at", "is", null).execute();
}

export async function findLink(db: Db, tokenHash: string) {
  return db
    .selectFrom("one_time_links as l")
    .innerJoin("users as u", "u.id", "l.user_id")
    .select(["l.token_hash", "l.user_id", "l.purpose", "l.expires_at", "l.used_at", "u.email", "u.name", "u.is_active"])
    .where("l.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

/** Marks a link used, if nobody else did first; true when this call used it. */
export async function useLink(db: Db, tokenHash: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable("one_time_links")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// API tokens of one user

export async function listActiveTokens(db: Db, userId: number) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("id", "desc")
    .execute();
}

export async function findTokenByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "name", "created_at", "user_id", "revoked_at"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function findOwnToken(db: Db, userId: number, tokenId: number) {
  return db
    .selectFrom("api_tokens")
    .select(["id", "revoked_at"])
    .where("id", "=", tokenId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

export async function revokeOwnToken(db: Db, userId: number, tokenId: number, now: string): Promise<void> {
  await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("id", "=", tokenId)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
}
