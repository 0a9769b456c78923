import type { FastifyInstance } from "fastify";
import { RateLimitedError, UnauthorizedError } from "../errors.js";
import { hashToken } from "../lib/tokens.js";
import { Access } from "../services/access.js";
import { findUserByTokenHash, touchToken } from "../storage/repositories/users.js";

const TOUCH_INTERVAL_MS = 60_000;

/** Bearer token → user, on every route of the scope it is installed in. */
export function installAuth(app: FastifyInstance): void {
  app.decorateRequest("user", null as never);
  app.decorateRequest("access", null as never);
  app.addHook("onRequest", async (request) => {
    const token = bearerToken(request.headers.authorization);
    const { db } = app.ctx.storage;
    const user = await findUserByTokenHash(db, hashToken(token));
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
      await touchToken(db, user.token_id, now.toISOString());
    }
    request.user = user;
    request.access = new Access(db, user);
  });
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
