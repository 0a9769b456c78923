import crypto from "node:crypto";
import type { LinkPurpose } from "@assay/api";
import type { Kysely } from "kysely";
import { hashPassword, passwordProblem } from "../lib/passwords.js";
import { hashToken } from "../lib/tokens.js";
import {
  deleteSession,
  deleteUnusedLinks,
  deleteUserSessions,
  findSessionWithUser,
  insertLink,
  insertSession,
  purgeWebAuth,
  type SessionWithUser,
  setPasswordHash,
} from "../storage/repositories/web-auth.js";
import type { Database } from "../storage/schema.js";
import { AdminError } from "./admin.js";

type Db = Kysely<Database>;

/** One-time links (invites, password resets, the first start's link) last this long. */
export const LINK_TTL_DAYS = 7;
/** last_seen_at of a session is written at most this often. */
export const SESSION_TOUCH_MS = 60_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface SessionPolicy {
  sessionIdleHours: number;
  sessionMaxDays: number;
}

function randomSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export interface NewSession {
  /** the cookie's value; only its SHA-256 is stored */
  secret: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: Db,
  userId: number,
  meta: { userAgent: string | null; ip: string | null },
  policy: SessionPolicy,
  now = new Date(),
): Promise<NewSession> {
  const secret = randomSecret();
  const csrfToken = randomSecret();
  const expiresAt = new Date(now.getTime() + policy.sessionMaxDays * DAY_MS);
  await insertSession(db, {
    id: hashToken(secret),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    user_agent: meta.userAgent?.slice(0, 512) ?? null,
    ip: meta.ip,
  });
  return { secret, csrfToken, expiresAt };
}

/** Whether a session has ended: past its absolute end, or idle for longer than the policy allows. */
export function sessionEnded(session: SessionWithUser["session"], policy: SessionPolicy, now: Date): boolean {
  if (Date.parse(session.expires_at) <= now.getTime()) return true;
  return Date.parse(session.last_seen_at) + policy.sessionIdleHours * HOUR_MS <= now.getTime();
}

/** The live session of a cookie secret with its active user, or null (an ended session is deleted). */
export async function resolveSession(
  db: Db,
  secret: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<SessionWithUser | null> {
  const id = hashToken(secret);
  const found = await findSessionWithUser(db, id);
  if (!found) return null;
  if (sessionEnded(found.session, policy, now)) {
    await deleteSession(db, id);
    return null;
  }
  return found;
}

/** Idle sessions end at `last_seen_at` + idle hours: the cutoff for a purge. */
export function idleCutoff(policy: SessionPolicy, now: Date): string {
  return new Date(now.getTime() - policy.sessionIdleHours * HOUR_MS).toISOString();
}

export function linkPath(purpose: LinkPurpose, token: string): string {
  return purpose === "invite" ? `/invite/${token}` : `/set-password/${token}`;
}

/**
 * A new one-time link for the user, valid LINK_TTL_DAYS; the user's earlier
 * unused links stop working (only the newest one counts).
 */
export async function createLink(
  db: Db,
  userId: number,
  purpose: LinkPurpose,
  createdBy: number | null,
  now = new Date(),
): Promise<{ token: string; path: string; expiresAt: string }> {
  const token = randomSecret();
  const expiresAt = new Date(now.getTime() + LINK_TTL_DAYS * DAY_MS).toISOString();
  await deleteUnusedLinks(db, userId);
  await insertLink(db, {
    token_hash: hashToken(token),
    user_id: userId,
    purpose,
    created_at: now.toISOString(),
    created_by: createdBy,
    expires_at: expiresAt,
    used_at: null,
  });
  return { token, path: linkPath(purpose, token), expiresAt };
}

/** Checks the rule and hashes; throws AdminError with the rule when the password breaks it. */
export async function hashNewPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new AdminError(problem);
  return hashPassword(password);
}

/**
 * Stores a new password hash and ends the user's sessions and unused links
 * (whoever had the old password, or an old link, is out). Call with a
 * transaction when more must happen atomically.
 */
export async function storePassword(db: Db, userId: number, hash: string): Promise<void> {
  await setPasswordHash(db, userId, hash);
  await deleteUserSessions(db, userId);
  await deleteUnusedLinks(db, userId);
}

/** Deletes ended sessions, and links that expired more than 30 days ago (until then they answer 410). */
export async function purgeWebAuthRows(db: Db, policy: SessionPolicy, now = new Date()): Promise<void> {
  const linksBefore = new Date(now.getTime() - 30 * DAY_MS).toISOString();
  await purgeWebAuth(db, now.toISOString(), idleCutoff(policy, now), linksBefore);
}

/** Where people open the server: ASSAY_PUBLIC_URL, else the listening address (127.0.0.1 for 0.0.0.0). */
export function listeningOrigin(
  config: { publicUrl: string | null; tlsCert: string | null; host: string },
  port: number,
) {
  if (config.publicUrl) return config.publicUrl;
  let host = config.host;
  if (host === "0.0.0.0" || host === "") host = "127.0.0.1";
  else if (host === "::") host = "[::1]";
  else if (host.includes(":") && !host.startsWith("[")) host = `[${host}]`;
  return `${config.tlsCert ? "https" : "http"}://${host}:${port}`;
}
