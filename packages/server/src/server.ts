import fs from "node:fs";
import tls from "node:tls";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { buildApp } from "./app.js";
import type { Config } from "./config.js";
import type { AppContext } from "./context.js";
import { createRedis, RateLimiter } from "./lib/rate-limiter.js";
import { markShuttingDown } from "./plugins/health.js";
import { purgeIdempotencyKeys } from "./plugins/idempotency.js";
import { bootstrap } from "./services/admin.js";
import { startRetentionJob } from "./services/retention/scheduler.js";
import { StatusCatalog } from "./services/statuses.js";
import { createLink, listeningOrigin, purgeWebAuthRows } from "./services/web-auth.js";
import { openStorage, type Storage } from "./storage/db.js";
import { openFileStore } from "./storage/files/index.js";
import { migrateToLatest } from "./storage/migrate.js";

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  generatedToken: string | null;
  /** first start: the administrator's one-time link to set a password (full URL), else null */
  adminPasswordLink: string | null;
  close(): Promise<void>;
  /**
   * Graceful stop: /readyz turns 503, no new connections, open requests (appends) finish, then the
   * pools close. After `graceSeconds` the remaining connections are cut. Resolves to true when
   * everything finished within the grace period.
   */
  shutdown(graceSeconds: number): Promise<boolean>;
}

/** A start that cannot succeed with this configuration: one sentence naming the cause and the variable. */
export class StartupError extends Error {}

/** Opens storage, migrates, bootstraps, and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  checkTlsFiles(config);
  const storage = await openAndMigrate(config);
  try {
    return await startOnStorage(config, storage);
  } catch (error) {
    await storage.close().catch(() => {});
    throw error;
  }
}

async function startOnStorage(config: Config, storage: Storage): Promise<RunningServer> {
  const { generatedToken, createdAdminId } = await bootstrap(storage.db, {
    adminEmail: config.adminEmail,
    adminToken: config.adminToken,
  });
  const adminLink = createdAdminId ? await createLink(storage.db, createdAdminId, "password", null) : null;
  const redis = config.redisUrl ? createRedis(config.redisUrl) : null;
  const ctx: AppContext = {
    config,
    storage,
    files: await openFileStore(config),
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
  storage.checkpointInBackground((message, error) => app.log.error({ err: error }, message));
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
  const address = await app.listen({ host: config.host, port: config.port }).catch(async (error: unknown) => {
    clearInterval(purgeTimer);
    redis?.disconnect();
    throw listenError(error, config);
  });
  const retention = startRetentionJob({
    storage,
    statuses: ctx.statuses,
    log: app.log,
    intervalMinutes: config.retentionIntervalMinutes,
  });
  const close = async () => {
    clearInterval(purgeTimer);
    await retention.stop();
    await app.close();
    await storage.close();
    ctx.files.close();
    redis?.disconnect();
  };
  return {
    app,
    url: address,
    generatedToken,
    adminPasswordLink: adminLink ? `${listeningOrigin(config, listeningPort(app))}${adminLink.path}` : null,
    close,
    async shutdown(graceSeconds) {
      markShuttingDown(app);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), graceSeconds * 1000);
      });
      // A keep-alive connection whose request was in flight at the signal turns idle only after its answer:
      // close such connections as they turn idle, instead of waiting for the client to drop them.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      const finished = await Promise.race([close().then(() => true as const), graceOver]);
      clearInterval(sweep);
      clearTimeout(timer);
      if (!finished) app.server.closeAllConnections();
      return finished;
    },
  };
}

function listeningPort(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === "object" && address ? address.port : 0;
}

/** Unreadable or mismatched TLS files stop the start before anything else happens. */
function checkTlsFiles(config: Config): void {
  if (!config.tlsCert || !config.tlsKey) return;
  const read = (file: string, variable: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new StartupError(`${variable} names ${file}, which cannot be read (${describe(error)}).`);
    }
  };
  const cert = read(config.tlsCert, "ASSAY_TLS_CERT");
  const key = read(config.tlsKey, "ASSAY_TLS_KEY");
  try {
    tls.createSecureContext({ cert, key });
  } catch (error) {
    throw new StartupError(
      `ASSAY_TLS_CERT (${config.tlsCert}) and ASSAY_TLS_KEY (${config.tlsKey}) are not a PEM certificate and its private key (${describe(error)}).`,
    );
  }
}

async function openAndMigrate(config: Config): Promise<Storage> {
  let storage: Storage;
  try {
    storage = openStorage(config);
  } catch (error) {
    throw new StartupError(
      `ASSAY_DATA_DIR (${config.dataDir}) cannot hold the SQLite database (${describe(error)}): make it a writable directory.`,
    );
  }
  try {
    // A first query of its own: its error keeps the driver's code (3D000, ECONNREFUSED…), the migrator's does not.
    await sql`select 1`.execute(storage.db);
    await migrateToLatest(storage);
    return storage;
  } catch (error) {
    await storage.close().catch(() => {});
    throw databaseError(error, config);
  }
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

/** The cause of a failed first contact with the database, in the operator's terms. */
function databaseError(error: unknown, config: Config): Error {
  const code = errorCode(error);
  if (!config.databaseUrl) {
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
      return new StartupError(
        `ASSAY_DATA_DIR (${config.dataDir}) holds an assay.sqlite that is not a valid SQLite database (${code}): restore it from a backup.`,
      );
    }
    return new StartupError(
      `The SQLite database in ASSAY_DATA_DIR (${config.dataDir}) cannot be opened: ${describe(error)}.`,
    );
  }
  const url = new URL(config.databaseUrl);
  const where = `${url.hostname}:${url.port || 5432}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || "postgres";
  if (code === "3D000") {
    return new StartupError(
      `ASSAY_DATABASE_URL names the PostgreSQL database "${database}", which does not exist on ${where}: create it (createdb ${database}) or fix the URL.`,
    );
  }
  if (code === "28P01" || code === "28000") {
    return new StartupError(
      `ASSAY_DATABASE_URL: PostgreSQL on ${where} refused the user "${decodeURIComponent(url.username)}" (${describe(error)}): fix the user or password in the URL.`,
    );
  }
  if (isConnectTimeout(error)) {
    return new StartupError(
      `ASSAY_DATABASE_URL: PostgreSQL on ${where} did not answer within ${config.databaseConnectTimeoutSeconds} s (ASSAY_DATABASE_CONNECT_TIMEOUT_SECONDS): check that the host and port are right and that a firewall lets the connection through.`,
    );
  }
  if (code && UNREACHABLE.has(code)) {
    return new StartupError(
      `ASSAY_DATABASE_URL: PostgreSQL on ${where} is unreachable (${code}): start it, or fix the host and port in the URL.`,
    );
  }
  return new StartupError(`ASSAY_DATABASE_URL: PostgreSQL on ${where} could not be used: ${describe(error)}.`);
}

/** pg's pool and client say so only in words: "timeout exceeded when trying to connect", "…due to connection timeout". */
function isConnectTimeout(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return /timeout exceeded when trying to connect|connection timeout/i.test(message);
}

function listenError(error: unknown, config: Config): Error {
  const { host, port } = config;
  switch (errorCode(error)) {
    case "EADDRINUSE":
      return new StartupError(
        `ASSAY_PORT ${port} is already in use on ${host}: stop the process that holds it or choose another port.`,
      );
    case "EACCES":
      return new StartupError(
        `ASSAY_PORT ${port} needs privileges this process does not have: choose a port above 1023 (and put a proxy in front for 80 or 443).`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return new StartupError(
        `ASSAY_HOST "${host}" does not resolve to an address: use an IP address of this machine (0.0.0.0 for all, 127.0.0.1 for local only) or a resolvable host name.`,
      );
    case "EADDRNOTAVAIL":
      return new StartupError(
        `ASSAY_HOST "${host}" is not an address of this machine: use one of its IP addresses, 0.0.0.0 for all or 127.0.0.1 for local only.`,
      );
    default:
      return new StartupError(`Cannot listen on ${host}:${port} (ASSAY_HOST, ASSAY_PORT): ${describe(error)}.`);
  }
}

/** The error's code; for an AggregateError (every address of a host refused), that of its first error. */
function errorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === "string") return own;
  const first = (error as { errors?: unknown[] } | null)?.errors?.[0];
  const inner = (first as { code?: unknown } | undefined)?.code;
  return typeof inner === "string" ? inner : undefined;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, "") || errorCode(error) || "unknown error";
}
