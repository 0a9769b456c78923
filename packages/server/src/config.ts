import path from "node:path";

/**
 * Every setting of the server, read from ASSAY_* environment variables in this
 * one place. Invalid values stop the start with a message naming the variable.
 */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  redisKeyPrefix: string;
  tlsCert: string | null;
  tlsKey: string | null;
  adminEmail: string;
  adminToken: string | null;
  rateLimitRequests: number;
  rateLimitWindowSeconds: number;
  /** Rejected requests tolerated before a client is blocked for longer than the window. */
  rateLimitPenaltyAfter: number;
  rateLimitPenaltySeconds: number;
  rateLimitPenaltyMaxSeconds: number;
  maxBodyBytes: number;
  logLevel: string;
  idempotencyTtlHours: number;
  /** Minutes between retention passes (docs/analytics.md, "Retention"); 0 disables the in-server job. */
  retentionIntervalMinutes: number;
  /** Origin (scheme://host[:port]) users reach the server at, for links and the Origin check; null = the request's. */
  publicUrl: string | null;
  /** A web session ends after this many hours without a request (may be fractional). */
  sessionIdleHours: number;
  /** … and at the latest this many days after sign-in. */
  sessionMaxDays: number;
}

export interface ConfigVariable {
  name: string;
  default: string;
  description: string;
}

/** The documented variables; the README table is written from this list. */
export const CONFIG_VARIABLES: ConfigVariable[] = [
  { name: "ASSAY_HOST", default: "0.0.0.0", description: "Address to listen on" },
  { name: "ASSAY_PORT", default: "8080", description: "Port to listen on (0 picks a free one)" },
  { name: "ASSAY_DATA_DIR", default: "./data", description: "Directory of the SQLite database and stored files" },
  {
    name: "ASSAY_DATABASE_URL",
    default: "(unset)",
    description: "A postgres:// URL switches storage to PostgreSQL; unset means embedded SQLite",
  },
  {
    name: "ASSAY_REDIS_URL",
    default: "(unset)",
    description: "redis:// URL; rate-limit state is then shared by every server instance",
  },
  { name: "ASSAY_REDIS_KEY_PREFIX", default: "assay", description: "Prefix of every Redis key this server writes" },
  { name: "ASSAY_TLS_CERT", default: "(unset)", description: "PEM certificate file; with ASSAY_TLS_KEY serves HTTPS" },
  { name: "ASSAY_TLS_KEY", default: "(unset)", description: "PEM private key file for ASSAY_TLS_CERT" },
  {
    name: "ASSAY_ADMIN_EMAIL",
    default: "admin@localhost",
    description: "E-mail of the administrator created on first start",
  },
  {
    name: "ASSAY_ADMIN_TOKEN",
    default: "(unset)",
    description: "API token given to the administrator on first start; unset prints a new one once",
  },
  {
    name: "ASSAY_RATE_LIMIT_REQUESTS",
    default: "600",
    description: "Requests per token (or client address) per window",
  },
  { name: "ASSAY_RATE_LIMIT_WINDOW_SECONDS", default: "60", description: "Length of the rate-limit window" },
  {
    name: "ASSAY_RATE_LIMIT_PENALTY_AFTER",
    default: "5",
    description: "Rejected (429) requests a client may send before it is blocked for a penalty period",
  },
  {
    name: "ASSAY_RATE_LIMIT_PENALTY_SECONDS",
    default: "60",
    description: "First penalty block; it doubles with every further rejected request",
  },
  { name: "ASSAY_RATE_LIMIT_PENALTY_MAX_SECONDS", default: "3600", description: "Longest penalty block" },
  { name: "ASSAY_MAX_BODY_MB", default: "100", description: "Largest accepted request body, in MiB (413 above)" },
  { name: "ASSAY_IDEMPOTENCY_TTL_HOURS", default: "24", description: "How long Idempotency-Key responses are kept" },
  { name: "ASSAY_LOG_LEVEL", default: "info", description: "fatal, error, warn, info, debug, trace or silent" },
  {
    name: "ASSAY_RETENTION_INTERVAL_MINUTES",
    default: "60",
    description:
      "Minutes between passes of the retention job (projects' retention policies); 0 disables it in this instance",
  },
  {
    name: "ASSAY_PUBLIC_URL",
    default: "(unset)",
    description:
      "Address users reach the server at (http(s)://host[:port]), e.g. behind a proxy; used in invite and password links and accepted as Origin of web requests. Unset: the request's own address",
  },
  {
    name: "ASSAY_SESSION_IDLE_HOURS",
    default: "168",
    description: "A web UI session ends after this many hours without a request (fractions allowed)",
  },
  { name: "ASSAY_SESSION_MAX_DAYS", default: "30", description: "A web UI session ends this many days after sign-in" },
];

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function decimal(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number from ${min} to ${max} (e.g. 0.5), got "${raw}".`);
  }
  return value;
}

/** An http(s) URL with no path, query or fragment → its origin. */
function publicOrigin(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `${name} must be an http:// or https:// URL such as https://assay.example.com, got "${raw}".`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(
      `${name} must be an http:// or https:// URL such as https://assay.example.com, got "${raw}".`,
    );
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(
      `${name} must be only scheme://host[:port] (Assay is served at the root of its address), got "${raw}".`,
    );
  }
  return url.origin;
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = text(env, "ASSAY_DATABASE_URL");
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      "ASSAY_DATABASE_URL must be a postgres:// URL (leave it unset to use the embedded SQLite database).",
    );
  }
  const redisUrl = text(env, "ASSAY_REDIS_URL");
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError("ASSAY_REDIS_URL must be a redis:// or rediss:// URL.");
  }
  const tlsCert = text(env, "ASSAY_TLS_CERT");
  const tlsKey = text(env, "ASSAY_TLS_KEY");
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new ConfigError("Set both ASSAY_TLS_CERT and ASSAY_TLS_KEY to serve HTTPS, or neither for HTTP.");
  }
  const logLevel = text(env, "ASSAY_LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`ASSAY_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}".`);
  }
  const adminToken = text(env, "ASSAY_ADMIN_TOKEN");
  if (adminToken && adminToken.length < 16) {
    throw new ConfigError("ASSAY_ADMIN_TOKEN must be at least 16 characters long.");
  }
  return {
    host: text(env, "ASSAY_HOST") ?? "0.0.0.0",
    port: integer(env, "ASSAY_PORT", 8080, 0, 65535),
    dataDir: path.resolve(text(env, "ASSAY_DATA_DIR") ?? "./data"),
    databaseUrl,
    redisUrl,
    redisKeyPrefix: text(env, "ASSAY_REDIS_KEY_PREFIX") ?? "assay",
    tlsCert,
    tlsKey,
    adminEmail: text(env, "ASSAY_ADMIN_EMAIL") ?? "admin@localhost",
    adminToken,
    rateLimitRequests: integer(env, "ASSAY_RATE_LIMIT_REQUESTS", 600, 1, 10_000_000),
    rateLimitWindowSeconds: integer(env, "ASSAY_RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86_400),
    rateLimitPenaltyAfter: integer(env, "ASSAY_RATE_LIMIT_PENALTY_AFTER", 5, 0, 1_000_000),
    rateLimitPenaltySeconds: integer(env, "ASSAY_RATE_LIMIT_PENALTY_SECONDS", 60, 1, 86_400),
    rateLimitPenaltyMaxSeconds: integer(env, "ASSAY_RATE_LIMIT_PENALTY_MAX_SECONDS", 3600, 1, 604_800),
    maxBodyBytes: integer(env, "ASSAY_MAX_BODY_MB", 100, 1, 2048) * 1024 * 1024,
    logLevel,
    idempotencyTtlHours: integer(env, "ASSAY_IDEMPOTENCY_TTL_HOURS", 24, 24, 24 * 30),
    retentionIntervalMinutes: integer(env, "ASSAY_RETENTION_INTERVAL_MINUTES", 60, 0, 7 * 24 * 60),
    publicUrl: publicOrigin(env, "ASSAY_PUBLIC_URL"),
    // At least 3 minutes: a session's last use is recorded at most once a minute.
    sessionIdleHours: decimal(env, "ASSAY_SESSION_IDLE_HOURS", 168, 0.05, 24 * 366),
    sessionMaxDays: integer(env, "ASSAY_SESSION_MAX_DAYS", 30, 1, 366),
  };
}
