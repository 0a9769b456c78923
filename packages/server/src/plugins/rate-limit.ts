import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RateLimitedError } from "../errors.js";
import { hashToken } from "../lib/tokens.js";
import { lookupSession, sessionSecret } from "./auth.js";

/**
 * Runs first on every API request, before authentication or parsing: a
 * budget per token (per user for a web session, per client address without
 * either), the IETF RateLimit headers on every answer, and 429 with
 * Retry-After when over budget.
 */
export function installRateLimit(app: FastifyInstance): void {
  app.addHook("onRequest", rateLimitHook(app));
}

export function rateLimitHook(app: FastifyInstance) {
  const { rateLimiter } = app.ctx;
  const { requests, windowSeconds } = rateLimiter.policy;
  const policyHeader = `"default";q=${requests};w=${windowSeconds}`;

  return async (request: FastifyRequest, reply: FastifyReply) => {
    const decision = await rateLimiter.consume(await limitKey(app, request));
    reply.header("ratelimit-policy", policyHeader);
    if (decision.allowed) {
      reply.header("ratelimit", `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
      return;
    }
    const wait = decision.retryAfterSeconds;
    reply.header("ratelimit", `"default";r=0;t=${wait}`);
    const reason = decision.penalized
      ? "Too many requests while rate limited: this client is blocked for a penalty period that grows with every request sent before it ends."
      : `Rate limit exceeded (${requests} requests per ${windowSeconds} seconds).`;
    throw new RateLimitedError(`${reason} Retry after ${wait} seconds (see the Retry-After header).`, wait);
  };
}

/** Per token digest; per user for a live session cookie (without a bearer token); else per client address. */
async function limitKey(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  const match = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? "");
  if (match) return `t:${hashToken(match[1]!).slice(0, 32)}`;
  if (!request.headers.authorization && sessionSecret(request) !== null) {
    const found = await lookupSession(app, request);
    if (found) return `u:${found.user.id}`;
  }
  return `ip:${request.ip}`;
}
