import type { SetPassword, SignIn } from "@assay/api";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, invalidField, NotFoundError, RateLimitedError, UnauthorizedError } from "../../errors.js";
import {
  burnPasswordCheck,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
  warmPasswordCheck,
} from "../../lib/passwords.js";
import { SIGN_IN_POLICY, SignInLimiter } from "../../lib/sign-in-limiter.js";
import { hashToken } from "../../lib/tokens.js";
import {
  authenticate,
  clearedCookieHeader,
  lookupSession,
  requireCsrf,
  requireOwnOriginIfSent,
  sessionCookieHeader,
} from "../../plugins/auth.js";
import { createSession, SESSION_TOUCH_MS, storePassword } from "../../services/web-auth.js";
import {
  deleteSession,
  deleteUserSessions,
  findLink,
  findSignInUser,
  findUserById,
  setPasswordHash,
  touchSession,
  useLink,
} from "../../storage/repositories/web-auth.js";
import { presentLink, presentWebSession } from "./presenter.js";
import { schemas } from "./schema.js";

const WRONG_CREDENTIALS = "The e-mail or password is wrong.";

/**
 * `/api/v1/x/auth/…`: signing in to the web UI (Assay's extension, not
 * Testmo's API). Registered outside the authenticated scope: no API token is
 * needed, and the session cookie is read where it matters.
 */
export async function xAuthRoutes(app: FastifyInstance) {
  const { config } = app.ctx;
  const { db } = app.ctx.storage;
  const limiter = new SignInLimiter(SIGN_IN_POLICY, { redis: app.ctx.redis, keyPrefix: config.redisKeyPrefix });
  // The first unknown e-mail must not take twice as long as the others.
  void warmPasswordCheck();

  const policyItem = `"sign-in";q=${SIGN_IN_POLICY.emailFailures};w=${SIGN_IN_POLICY.windowSeconds}`;
  /** The sign-in budget next to the request budget in the RateLimit headers. */
  function signInHeaders(reply: FastifyReply, remaining: number, seconds: number) {
    const policy = reply.getHeader("ratelimit-policy");
    const limit = reply.getHeader("ratelimit");
    reply.header("ratelimit-policy", policy ? `${String(policy)}, ${policyItem}` : policyItem);
    const item = `"sign-in";r=${remaining};t=${seconds}`;
    reply.header("ratelimit", limit ? `${String(limit)}, ${item}` : item);
  }

  /** A new session for the user: cookie set on the reply, the session body returned. */
  async function signIn(request: FastifyRequest, reply: FastifyReply, user: Parameters<typeof presentWebSession>[0]) {
    const session = await createSession(
      db,
      user.id,
      { userAgent: request.headers["user-agent"] ?? null, ip: request.ip },
      config,
    );
    reply.header("set-cookie", sessionCookieHeader(config, session.secret, session.expiresAt));
    return presentWebSession(user, session.csrfToken);
  }

  app.post<{ Body: SignIn }>("/x/auth/sign-in", { schema: schemas.signIn }, async (request, reply) => {
    requireOwnOriginIfSent(config, request);
    const { email, password } = request.body;
    const decision = await limiter.check(email, request.ip);
    if (!decision.allowed) {
      signInHeaders(reply, 0, decision.retryAfterSeconds);
      throw new RateLimitedError(
        `Too many failed sign-ins for this e-mail address or from this network address: try again in ${decision.retryAfterSeconds} seconds (see the Retry-After header). Every further attempt before then makes the wait longer.`,
        decision.retryAfterSeconds,
      );
    }
    const user = await findSignInUser(db, email.trim());
    const ok = user?.password_hash
      ? await verifyPassword(password, user.password_hash)
      : await burnPasswordCheck(password);
    if (!user || !ok) {
      await limiter.recordFailure(email, request.ip);
      signInHeaders(reply, Math.max(0, decision.remaining - 1), decision.resetSeconds);
      throw new UnauthorizedError(WRONG_CREDENTIALS);
    }
    await limiter.recordSuccess(email);
    if (needsRehash(user.password_hash!)) await setPasswordHash(db, user.id, await hashPassword(password));
    // A browser that signs in again replaces its previous session.
    const previous = await lookupSession(app, request);
    if (previous) await deleteSession(db, previous.session.id);
    return signIn(request, reply, user);
  });

  app.get("/x/auth/session", { schema: schemas.session }, async (request, reply) => {
    const found = await lookupSession(app, request);
    if (!found) {
      if (request.headers.cookie) reply.header("set-cookie", clearedCookieHeader(config));
      throw new UnauthorizedError(
        "Not signed in: there is no session cookie, or the session has ended. Sign in with POST /api/v1/x/auth/sign-in.",
      );
    }
    const now = new Date();
    if (now.getTime() - Date.parse(found.session.last_seen_at) > SESSION_TOUCH_MS) {
      await touchSession(db, found.session.id, now.toISOString());
    }
    return presentWebSession(found.user, found.session.csrf_token);
  });

  app.post("/x/auth/sign-out", { schema: schemas.signOut }, async (request, reply) => {
    const found = await lookupSession(app, request);
    if (found) {
      requireCsrf(config, request, found.session.csrf_token);
      await deleteSession(db, found.session.id);
    }
    return reply.header("set-cookie", clearedCookieHeader(config)).code(204).send();
  });

  app.post("/x/auth/sign-out-everywhere", { schema: schemas.signOutEverywhere }, async (request, reply) => {
    await authenticate(app, request);
    await deleteUserSessions(db, request.user.id);
    if (request.webSession) reply.header("set-cookie", clearedCookieHeader(config));
    return reply.code(204).send();
  });

  /** The link of a token, or 404 (unknown) / 410 (used, expired, account deactivated). */
  async function liveLink(token: string, now: Date) {
    const link = await findLink(db, hashToken(token));
    if (!link) {
      throw new NotFoundError(
        "This link is unknown: it may have been replaced by a newer one. Ask an administrator for a new link.",
      );
    }
    if (link.used_at) throw new ApiError(410, "This link was already used. Ask an administrator for a new link.");
    if (Date.parse(link.expires_at) <= now.getTime()) {
      throw new ApiError(410, `This link expired at ${link.expires_at}. Ask an administrator for a new link.`);
    }
    if (!link.is_active) throw new ApiError(410, "The account of this link is deactivated. Ask an administrator.");
    return link;
  }

  app.get<{ Params: { token: string } }>("/x/auth/links/:token", { schema: schemas.link }, async (request) =>
    presentLink(await liveLink(request.params.token, new Date())),
  );

  app.post<{ Body: SetPassword }>("/x/auth/password", { schema: schemas.setPassword }, async (request, reply) => {
    requireOwnOriginIfSent(config, request);
    const { token, password } = request.body;
    const link = await liveLink(token, new Date());
    const problem = passwordProblem(password);
    if (problem) throw invalidField("password", problem);
    const hash = await hashPassword(password);
    await db.transaction().execute(async (trx) => {
      if (!(await useLink(trx, link.token_hash, new Date().toISOString()))) {
        throw new ApiError(410, "This link was already used. Ask an administrator for a new link.");
      }
      await storePassword(trx, link.user_id, hash);
    });
    const user = await findUserById(db, link.user_id);
    if (!user) throw new ApiError(410, "The account of this link is deactivated. Ask an administrator.");
    await limiter.recordSuccess(user.email);
    return signIn(request, reply, user);
  });
}
