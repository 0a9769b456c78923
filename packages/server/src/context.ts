import type { Redis } from "ioredis";
import type { Config } from "./config.js";
import type { RateLimiter } from "./lib/rate-limiter.js";
import type { Access } from "./services/access.js";
import type { StatusCatalog } from "./services/statuses.js";
import type { Storage } from "./storage/db.js";
import type { FileStore } from "./storage/files/index.js";
import type { AuthUser } from "./storage/repositories/users.js";
import type { SessionWithUser } from "./storage/repositories/web-auth.js";

type WebSessionInfo = SessionWithUser["session"];

/** Everything a request handler may reach, built once per server process. */
export interface AppContext {
  config: Config;
  storage: Storage;
  /** where uploaded files live (local directory or S3 bucket) */
  files: FileStore;
  redis: Redis | null;
  rateLimiter: RateLimiter;
  statuses: StatusCatalog;
}

declare module "fastify" {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    /** set by the auth plugin on every /api/v1 route */
    user: AuthUser;
    access: Access;
    /** the web session, when the request was authenticated by the session cookie (else null) */
    webSession: WebSessionInfo | null;
    /** SHA-256 of the raw body, computed only when an Idempotency-Key is sent */
    bodyHash: string | null;
  }
}
