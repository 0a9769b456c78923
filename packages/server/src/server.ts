import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { buildApp } from "./app.js";
import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import { RateLimiter } from "./lib/rate-limiter.js";
import { purgeIdempotencyKeys } from "./plugins/idempotency.js";
import { bootstrap } from "./services/admin.js";
import { startRetentionJob } from "./services/retention/scheduler.js";
import { StatusCatalog } from "./services/statuses.js";
import { createLink, listeningOrigin, purgeWebAuthRows } from "./services/web-auth.js";
import { openStorage } from "./storage/db.js";
import { migrateToLatest } from "./storage/migrate.js";

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  generatedToken: string | null;
  /** first start: the administrator's one-time link to set a password (full URL), else null */
  adminPasswordLink: string | null;
  close(): Promise<void>;
}

/** Opens storage, migrates, bootstraps, and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const storage = openStorage(config);
  await migrateToLatest(storage);
  const { generatedToken, createdAdminId } = await bootstrap(storage.db, {
    adminEmail: config.adminEmail,
    adminToken: config.adminToken,
  });
  const adminLink = createdAdminId ? await createLink(storage.db, createdAdminId, "password", null) : null;
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true })
    : null;
  const ctx: AppContext = {
    config,
    storage,
    redis,
    statuses: await StatusCatalog.load(storage.db),
    rateLimiter: new RateLimiter(
      {
        requests: config.rateLimitRequests,
        windowSeconds: config.rateLimitWindowSeconds,
        penaltyAfter: config.rateLimitPenaltyAfter,
        penaltySeconds: config.rateLimitPenaltySeconds,
        penaltyMaxSeconds: config.rateLimitPenaltyMaxSeconds,
      },
      { redis, keyPrefix: config.redisKeyPrefix },
    ),
  };
  const app = await buildApp(ctx);
  const purge = () =>
    Promise.all([
      purgeIdempotencyKeys(storage.db, config.idempotencyTtlHours).catch((error) =>
        app.log.warn({ err: error }, "could not purge old idempotency keys"),
      ),
      purgeWebAuthRows(storage.db, config).catch((error) =>
        app.log.warn({ err: error }, "could not purge ended web sessions"),
      ),
    ]);
  await purge();
  const purgeTimer = setInterval(purge, 3_600_000).unref();
  const address = await app.listen({ host: config.host, port: config.port });
  const retention = startRetentionJob({
    storage,
    statuses: ctx.statuses,
    log: app.log,
    intervalMinutes: config.retentionIntervalMinutes,
  });
  return {
    app,
    url: address,
    generatedToken,
    adminPasswordLink: adminLink ? `${listeningOrigin(config, listeningPort(app))}${adminLink.path}` : null,
    async close() {
      clearInterval(purgeTimer);
      await retention.stop();
      await app.close();
      await storage.close();
      redis?.disconnect();
    },
  };
}

function listeningPort(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === "object" && address ? address.port : 0;
}
