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
  databaseConnectTimeoutSeconds: number;
  /** SQLite's synchronous mode: normal (default) can lose the last commits on power failure, full cannot. */
  sqliteSynchronous: "normal" | "full";
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
  /** The whole request (headers and body) must arrive within this many seconds; 0 = no limit. */
  requestTimeoutSeconds: number;
  /** The request line and headers must arrive within this many seconds. */
  headersTimeoutSeconds: number;
  /** An idle keep-alive connection is closed after this many seconds. */
  keepAliveTimeoutSeconds: number;
  /** Open connections beyond this are refused (closed at once); 0 = no limit. */
  maxConnections: number;
  maxBodyBytes: number;
  /** Most files (multipart file parts) one upload request may carry; more is a 413. */
  maxUploadFiles: number;
  /** The S3-compatible bucket holding stored files; null = the local `<dataDir>/attachments`. */
  s3: S3Settings | null;
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
  /** Bearer token that GET /metrics requires; null = /metrics is off (404). */
  metricsToken: string | null;
  /** On SIGTERM/SIGINT, open requests get this many seconds to finish before the process exits anyway. */
  shutdownGraceSeconds: number;
}

export interface S3Settings {
  bucket: string;
  /** null = AWS S3 itself (the region's default endpoint) */
  endpoint: string | null;
  region: string;
  /** null = the AWS SDK's default credential chain (AWS_* variables, instance roles…) */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  /** Prepended to every object key, e.g. "assay/attachments/". */
  prefix: string;
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
    name: "ASSAY_DATABASE_CONNECT_TIMEOUT_SECONDS",
    default: "10",
    description:
      "Seconds a new PostgreSQL connection may take before start-up (or the request) fails with a clear error",
  },
  {
    name: "ASSAY_SQLITE_SYNCHRONOUS",
    default: "normal",
    description:
      "normal or full. With normal (WAL mode) an acknowledged upload survives a crash of the server process but not a power failure or OS crash; full syncs every commit to disk (slower ingest, see README, Durability)",
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
    description:
      "An API token of the administrator: every start adds it to the first administrator's tokens unless already known (a revoked one stays revoked); unset, the first start prints a new one once",
  },
  {
    name: "ASSAY_RATE_LIMIT_REQUESTS",
    default: "600",
    description: "Requests per token (or client address) per window",
  },
  { name: "ASSAY_RATE_LIMIT_WINDOW_SECONDS", default: "60", description: "Length of the rate-limit window" },
  {
    name: "ASSAY_RATE_LIMIT_PENALTY_AFTER",
    default: "10",
    description:
      "Requests a client may send while told to wait (after a 429, before its Retry-After has passed) before it is blocked for a penalty period; requests already under way when the first 429 went out never count",
  },
  {
    name: "ASSAY_RATE_LIMIT_PENALTY_SECONDS",
    default: "60",
    description: "First penalty block; it doubles with every further request sent while told to wait",
  },
  { name: "ASSAY_RATE_LIMIT_PENALTY_MAX_SECONDS", default: "3600", description: "Longest penalty block" },
  {
    name: "ASSAY_REQUEST_TIMEOUT_SECONDS",
    default: "300",
    description:
      "A request (headers and body) must arrive within this time, else 408 and the connection is closed; 0 disables it",
  },
  {
    name: "ASSAY_HEADERS_TIMEOUT_SECONDS",
    default: "30",
    description: "The request line and headers must arrive within this time (at most the request timeout)",
  },
  {
    name: "ASSAY_KEEP_ALIVE_TIMEOUT_SECONDS",
    default: "65",
    description:
      "An idle keep-alive connection is closed after this time (keep it above a load balancer's idle timeout)",
  },
  {
    name: "ASSAY_MAX_CONNECTIONS",
    default: "10000",
    description: "Open connections per instance; further ones are closed at once; 0 means no limit",
  },
  { name: "ASSAY_MAX_BODY_MB", default: "100", description: "Largest accepted request body, in MiB (413 above)" },
  {
    name: "ASSAY_MAX_UPLOAD_FILES",
    default: "100",
    description:
      "Most files one attachment upload request may contain (413 above; of these, the first 20 are stored, as in Testmo)",
  },
  {
    name: "ASSAY_S3_BUCKET",
    default: "(unset)",
    description:
      "S3-compatible bucket for stored files (attachments), shared by every instance; unset keeps them in ASSAY_DATA_DIR/attachments",
  },
  {
    name: "ASSAY_S3_ENDPOINT",
    default: "(unset)",
    description: "http(s):// URL of an S3-compatible server (MinIO, Ceph, R2…); unset means AWS S3",
  },
  { name: "ASSAY_S3_REGION", default: "us-east-1", description: "Region of the bucket" },
  {
    name: "ASSAY_S3_ACCESS_KEY_ID",
    default: "(unset)",
    description: "Access key of the bucket, with ASSAY_S3_SECRET_ACCESS_KEY; unset uses the AWS SDK's credential chain",
  },
  { name: "ASSAY_S3_SECRET_ACCESS_KEY", default: "(unset)", description: "Secret of ASSAY_S3_ACCESS_KEY_ID" },
  {
    name: "ASSAY_S3_FORCE_PATH_STYLE",
    default: "false",
    description: "true addresses the bucket as endpoint/bucket (MinIO and most self-hosted servers need it)",
  },
  { name: "ASSAY_S3_PREFIX", default: "attachments/", description: "Prefix of every object key Assay writes" },
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
  {
    name: "ASSAY_METRICS_TOKEN",
    default: "(unset)",
    description:
      "Bearer token that GET /metrics (Prometheus text format) requires; unset turns /metrics off (404). At least 16 characters",
  },
  {
    name: "ASSAY_SHUTDOWN_GRACE_SECONDS",
    default: "30",
    description: "On SIGTERM or SIGINT, seconds open requests get to finish before the server exits anyway",
  },
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

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

const S3_VARIABLES = [
  "ASSAY_S3_ENDPOINT",
  "ASSAY_S3_REGION",
  "ASSAY_S3_ACCESS_KEY_ID",
  "ASSAY_S3_SECRET_ACCESS_KEY",
  "ASSAY_S3_FORCE_PATH_STYLE",
  "ASSAY_S3_PREFIX",
];

/** ASSAY_S3_*: null without a bucket (files stay in the data directory). */
function s3Settings(env: Env): S3Settings | null {
  const bucket = text(env, "ASSAY_S3_BUCKET");
  if (bucket === null) {
    const stray = S3_VARIABLES.find((name) => text(env, name) !== null);
    if (stray) throw new ConfigError(`${stray} is set but ASSAY_S3_BUCKET is not: set the bucket, or unset ${stray}.`);
    return null;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError(
      `ASSAY_S3_BUCKET must be a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, got "${bucket}".`,
    );
  }
  const endpoint = text(env, "ASSAY_S3_ENDPOINT");
  if (endpoint !== null && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new ConfigError(`ASSAY_S3_ENDPOINT must be an http:// or https:// URL, got "${endpoint}".`);
  }
  const accessKeyId = text(env, "ASSAY_S3_ACCESS_KEY_ID");
  const secretAccessKey = text(env, "ASSAY_S3_SECRET_ACCESS_KEY");
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError(
      "Set both ASSAY_S3_ACCESS_KEY_ID and ASSAY_S3_SECRET_ACCESS_KEY, or neither to use the AWS SDK's credential chain.",
    );
  }
  const prefix = text(env, "ASSAY_S3_PREFIX") ?? "attachments/";
  if (prefix.startsWith("/") || prefix.length > 200) {
    throw new ConfigError(`ASSAY_S3_PREFIX must not start with "/" and be at most 200 characters, got "${prefix}".`);
  }
  return {
    bucket,
    endpoint,
    region: text(env, "ASSAY_S3_REGION") ?? "us-east-1",
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
    forcePathStyle: flag(env, "ASSAY_S3_FORCE_PATH_STYLE", false),
    prefix,
  };
}

/** ASSAY_*_TIMEOUT_SECONDS and ASSAY_MAX_CONNECTIONS: slow or idle clients cannot hold connections for ever. */
function connectionLimits(env: Env) {
  const requestTimeoutSeconds = integer(env, "ASSAY_REQUEST_TIMEOUT_SECONDS", 300, 0, 86_400);
  const headersTimeoutSeconds = integer(env, "ASSAY_HEADERS_TIMEOUT_SECONDS", 30, 1, 3600);
  if (requestTimeoutSeconds > 0 && headersTimeoutSeconds > requestTimeoutSeconds) {
    throw new ConfigError(
      `ASSAY_HEADERS_TIMEOUT_SECONDS (${headersTimeoutSeconds}) must not exceed ASSAY_REQUEST_TIMEOUT_SECONDS (${requestTimeoutSeconds}).`,
    );
  }
  return {
    requestTimeoutSeconds,
    headersTimeoutSeconds,
    keepAliveTimeoutSeconds: integer(env, "ASSAY_KEEP_ALIVE_TIMEOUT_SECONDS", 65, 1, 3600),
    maxConnections: integer(env, "ASSAY_MAX_CONNECTIONS", 10_000, 0, 1_000_000),
  };
}

/** ASSAY_SQLITE_SYNCHRONOUS: how hard SQLite works to keep a commit through a power failure. */
function sqliteSynchronous(env: Env): "normal" | "full" {
  const raw = text(env, "ASSAY_SQLITE_SYNCHRONOUS")?.toLowerCase() ?? "normal";
  if (raw !== "normal" && raw !== "full") {
    throw new ConfigError(
      `ASSAY_SQLITE_SYNCHRONOUS must be normal or full (full also keeps the last uploads through a power failure), got "${raw}".`,
    );
  }
  return raw;
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
  const adminEmail = text(env, "ASSAY_ADMIN_EMAIL") ?? "admin@localhost";
  if (!/^[^@\s]+@[^@\s]+$/.test(adminEmail) || adminEmail.length > 254) {
    throw new ConfigError(
      `ASSAY_ADMIN_EMAIL must be an e-mail address such as admin@example.com, got "${adminEmail}".`,
    );
  }
  const metricsToken = text(env, "ASSAY_METRICS_TOKEN");
  if (metricsToken && metricsToken.length < 16) {
    throw new ConfigError("ASSAY_METRICS_TOKEN must be at least 16 characters long (or unset to turn /metrics off).");
  }
  return {
    host: text(env, "ASSAY_HOST") ?? "0.0.0.0",
    port: integer(env, "ASSAY_PORT", 8080, 0, 65535),
    dataDir: path.resolve(text(env, "ASSAY_DATA_DIR") ?? "./data"),
    databaseUrl,
    sqliteSynchronous: sqliteSynchronous(env),
    redisUrl,
    redisKeyPrefix: text(env, "ASSAY_REDIS_KEY_PREFIX") ?? "assay",
    tlsCert,
    tlsKey,
    adminEmail,
    adminToken,
    rateLimitRequests: integer(env, "ASSAY_RATE_LIMIT_REQUESTS", 600, 1, 10_000_000),
    rateLimitWindowSeconds: integer(env, "ASSAY_RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86_400),
    rateLimitPenaltyAfter: integer(env, "ASSAY_RATE_LIMIT_PENALTY_AFTER", 10, 0, 1_000_000),
    rateLimitPenaltySeconds: integer(env, "ASSAY_RATE_LIMIT_PENALTY_SECONDS", 60, 1, 86_400),
    rateLimitPenaltyMaxSeconds: integer(env, "ASSAY_RATE_LIMIT_PENALTY_MAX_SECONDS", 3600, 1, 604_800),
    ...connectionLimits(env),
    maxBodyBytes: integer(env, "ASSAY_MAX_BODY_MB", 100, 1, 2048) * 1024 * 1024,
    maxUploadFiles: integer(env, "ASSAY_MAX_UPLOAD_FILES", 100, 1, 1000),
    s3: s3Settings(env),
    logLevel,
    idempotencyTtlHours: integer(env, "ASSAY_IDEMPOTENCY_TTL_HOURS", 24, 24, 24 * 30),
    retentionIntervalMinutes: integer(env, "ASSAY_RETENTION_INTERVAL_MINUTES", 60, 0, 7 * 24 * 60),
    publicUrl: publicOrigin(env, "ASSAY_PUBLIC_URL"),
    // At least 3 minutes: a session's last use is recorded at most once a minute.
    sessionIdleHours: decimal(env, "ASSAY_SESSION_IDLE_HOURS", 168, 0.05, 24 * 366),
    sessionMaxDays: integer(env, "ASSAY_SESSION_MAX_DAYS", 30, 1, 366),
    metricsToken,
    shutdownGraceSeconds: integer(env, "ASSAY_SHUTDOWN_GRACE_SECONDS", 30, 1, 3600),
    databaseConnectTimeoutSeconds: integer(env, "ASSAY_DATABASE_CONNECT_TIMEOUT_SECONDS", 10, 1, 600),
  };
}
