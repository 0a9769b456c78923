import crypto from "node:crypto";
import { SESSION_COOKIE } from "@assay/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Config } from "../config.js";
import { ForbiddenError, RateLimitedError, UnauthorizedError } from "../errors.js";
import { hashToken } from "../lib/tokens.js";
import { Access } from "../services/access.js";
import { resolveSession, SESSION_TOUCH_MS } from "../services/web-auth.js";
import { findUserByTokenHash, touchToken } from "../storage/repositories/users.js";
import { type SessionWithUser, touchSession } from "../storage/repositories/web-auth.js";

const TOUCH_INTERVAL_MS = 60_000;
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Request decorations of authentication; once, on the root instance. */
export function decorateAuth(app: FastifyInstance): void {
  app.decorateRequest("user", null as never);
  app.decorateRequest("access", null as never);
  app.decorateRequest("webSession", null);
}

/**
 * Bearer token or session cookie → user, on every route of the scope it is
 * installed in. A request with an Authorization header (or without the
 * cookie) is judged by its token exactly as before sessions existed.
 */
export function installAuth(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => authenticate(app, request));
}

/** Sets request.user and request.access, or throws 401 (403 for a cookie write without CSRF proof, 429). */
export async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  if (request.headers.authorization || sessionSecret(request) === null) return authenticateBearer(app, request);
  const found = await lookupSession(app, request);
  if (!found) {
    throw new UnauthorizedError(
      "Your session has ended (signed out, expired or unknown). Sign in again, or send an API token as 'Authorization: Bearer <token>'.",
    );
  }
  if (MUTATING.has(request.method)) requireCsrf(app.ctx.config, request, found.session.csrf_token);
  const now = new Date();
  if (now.getTime() - Date.parse(found.session.last_seen_at) > SESSION_TOUCH_MS) {
    await touchSession(app.ctx.storage.db, found.session.id, now.toISOString());
  }
  request.user = found.user;
  request.access = new Access(app.ctx.storage, found.user);
  request.webSession = found.session;
}

async function authenticateBearer(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const token = bearerToken(request.headers.authorization);
  const { db, authCache } = app.ctx.storage;
  const tokenHash = hashToken(token);
  const user = await authCache.token(tokenHash, () => findUserByTokenHash(db, tokenHash));
  if (!user) {
    // Guessing tokens must not get a fresh budget per guess: charge the client address too.
    const decision = await app.ctx.rateLimiter.consume(`ip:${request.ip}`);
    if (!decision.allowed) {
      throw new RateLimitedError(
        `Too many requests with invalid API tokens. Retry after ${decision.retryAfterSeconds} seconds.`,
        decision.retryAfterSeconds,
      );
    }
    throw new UnauthorizedError(
      "The API token is unknown or revoked. Check the token (Authorization: Bearer <token>) or create a new one.",
    );
  }
  const now = new Date();
  if (!user.token_last_used_at || now.getTime() - Date.parse(user.token_last_used_at) > TOUCH_INTERVAL_MS) {
    // The remembered user is shared by the requests of the next moment: stamp it once for all of them.
    user.token_last_used_at = now.toISOString();
    await touchToken(db, user.token_id, user.token_last_used_at);
  }
  request.user = user;
  request.access = new Access(app.ctx.storage, user);
}

export function bearerToken(header: string | undefined): string {
  if (!header) {
    throw new UnauthorizedError("Authentication required: send your API token as 'Authorization: Bearer <token>'.");
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) {
    throw new UnauthorizedError("Malformed Authorization header: use 'Authorization: Bearer <token>'.");
  }
  return match[1]!;
}

// Session cookie

/** The session secret from the Cookie header, or null. */
export function sessionSecret(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // Secrets are 43 base64url characters; anything else names no session.
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
  }
  return null;
}

const lookups = new WeakMap<FastifyRequest, Promise<SessionWithUser | null>>();

/** The live session of the request's cookie (looked up once per request: the rate limiter needs it first). */
export function lookupSession(app: FastifyInstance, request: FastifyRequest): Promise<SessionWithUser | null> {
  let lookup = lookups.get(request);
  if (!lookup) {
    const secret = sessionSecret(request);
    lookup = secret === null ? Promise.resolve(null) : resolveSession(app.ctx.storage.db, secret, app.ctx.config);
    lookups.set(request, lookup);
  }
  return lookup;
}

/** Whether cookies must carry `Secure`: the server runs TLS, or users reach it over https (a TLS proxy). */
export function secureCookies(config: Config): boolean {
  return config.tlsCert !== null || (config.publicUrl?.startsWith("https:") ?? false);
}

function cookieAttributes(config: Config): string {
  return `Path=/; HttpOnly; SameSite=Lax${secureCookies(config) ? "; Secure" : ""}`;
}

export function sessionCookieHeader(config: Config, secret: string, expiresAt: Date): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  return `${SESSION_COOKIE}=${secret}; ${cookieAttributes(config)}; Max-Age=${maxAge}`;
}

export function clearedCookieHeader(config: Config): string {
  return `${SESSION_COOKIE}=; ${cookieAttributes(config)}; Max-Age=0`;
}

// CSRF: token and Origin

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : null;
}

function normalOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/** The server's own origin as this request reached it (Host header, TLS or not). */
export function requestOrigin(config: Config, request: FastifyRequest): string | null {
  const host = header(request, "host");
  return host ? normalOrigin(`${config.tlsCert ? "https" : "http"}://${host}`) : null;
}

/** Where users reach the server: ASSAY_PUBLIC_URL, else the request's origin. */
export function publicOrigin(config: Config, request: FastifyRequest): string {
  return config.publicUrl ?? requestOrigin(config, request) ?? "";
}

function allowedOrigins(config: Config, request: FastifyRequest): string[] {
  const own = requestOrigin(config, request);
  return [...new Set([own, config.publicUrl].filter((o): o is string => o !== null))];
}

/** A problem with the Origin header, or null when it is this server's (or absent and `optional`). */
function originProblem(config: Config, request: FastifyRequest, optional: boolean): string | null {
  const sent = header(request, "origin");
  const allowed = allowedOrigins(config, request);
  const expected = allowed.length > 0 ? allowed.join(" or ") : "this server's origin";
  if (sent === null) return optional ? null : `the Origin header is missing (expected ${expected})`;
  const origin = normalOrigin(sent);
  if (origin !== null && allowed.includes(origin)) return null;
  return `the Origin ${JSON.stringify(sent.slice(0, 200))} is not this server's (expected ${expected}; set ASSAY_PUBLIC_URL to the address users open)`;
}

function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash("sha256").update(a).digest();
  const y = crypto.createHash("sha256").update(b).digest();
  return crypto.timingSafeEqual(x, y);
}

/** 403 unless a cookie-authenticated write proves it comes from this server's pages. */
export function requireCsrf(config: Config, request: FastifyRequest, csrfToken: string): void {
  const problems: string[] = [];
  const sent = header(request, "x-csrf-token");
  if (sent === null) problems.push("the X-CSRF-Token header is missing");
  else if (!safeEqual(sent, csrfToken)) problems.push("the X-CSRF-Token header does not match this session's token");
  const origin = originProblem(config, request, false);
  if (origin) problems.push(origin);
  if (problems.length > 0) {
    throw new ForbiddenError(
      `A request signed in with the session cookie that changes data must send X-CSRF-Token (the csrf_token of sign-in or GET /api/v1/x/auth/session) and this server's Origin: ${problems.join("; ")}.`,
    );
  }
}

/** Sign-in and setting a password: a browser's Origin, when sent, must be this server's (no login CSRF). */
export function requireOwnOriginIfSent(config: Config, request: FastifyRequest): void {
  const problem = originProblem(config, request, true);
  if (problem) throw new ForbiddenError(`Sign in from this server's own pages: ${problem}.`);
}
