import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RateLimitedError } from "../errors.js";
import { hashToken } from "../lib/tokens.js";
import { lookupSession, sessionSecret } from "./auth.js";

export type RateLimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * A budget per token (per user for a web session, per client address without
 * either), the IETF RateLimit headers on every answer, and 429 with
 * Retry-After when over budget. Runs once per request, whichever path
 * (route, 404, 405, framework error) answers it.
 */
export function rateLimitHook(app: FastifyInstance): RateLimitHook {
  const { rateLimiter } = app.ctx;
  const { requests, windowSeconds } = rateLimiter.policy;
  const policyHeader = `"default";q=${requests};w=${windowSeconds}`;
  const counted = new WeakSet<FastifyRequest>();

  return async (request, reply) => {
    if (counted.has(request)) return;
    counted.add(request);
    const decision = await rateLimiter.consume(await limitKey(app, request));
    reply.header("ratelimit-policy", policyHeader);
    if (decision.allowed) {
      reply.header("ratelimit", `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
      return;
    }
    const wait = decision.retryAfterSeconds;
    reply.header("ratelimit", `"default";r=0;t=${wait}`);
    const reason = decision.penalized
      ? "Too many requests while told to wait: this client is blocked for a penalty period that grows with every request it sends before Retry-After has passed."
      : `Rate limit exceeded (${requests} requests per ${windowSeconds} seconds).`;
    throw new RateLimitedError(`${reason} Retry after ${wait} seconds (see the Retry-After header).`, wait);
  };
}

/**
 * The RateLimit headers and 429 for an answer given before the request was parsed (an HTTP
 * parser error): only the client address is known. Returns the headers to send and, when
 * over budget, the 429 to send instead.
 */
export async function limitByAddress(
  app: FastifyInstance,
  address: string,
): Promise<{ headers: Record<string, string>; limited: RateLimitedError | null }> {
  const { rateLimiter } = app.ctx;
  const { requests, windowSeconds } = rateLimiter.policy;
  const headers: Record<string, string> = { "ratelimit-policy": `"default";q=${requests};w=${windowSeconds}` };
  const decision = await rateLimiter.consume(`ip:${address}`);
  if (decision.allowed) {
    headers.ratelimit = `"default";r=${decision.remaining};t=${decision.resetSeconds}`;
    return { headers, limited: null };
  }
  headers.ratelimit = `"default";r=0;t=${decision.retryAfterSeconds}`;
  const message = `Rate limit exceeded. Retry after ${decision.retryAfterSeconds} seconds (see the Retry-After header).`;
  return { headers, limited: new RateLimitedError(message, decision.retryAfterSeconds) };
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
