import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("has working defaults: embedded SQLite in ./data, port 8080, 600 requests a minute", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, databaseUrl: null, redisUrl: null, rateLimitRequests: 600 });
    expect(config.dataDir.endsWith("data")).toBe(true);
  });

  it.each([
    [{ ASSAY_PORT: "http" }, "ASSAY_PORT"],
    [{ ASSAY_PORT: "70000" }, "ASSAY_PORT"],
    [{ ASSAY_DATABASE_URL: "mysql://x" }, "ASSAY_DATABASE_URL"],
    [{ ASSAY_REDIS_URL: "localhost:6379" }, "ASSAY_REDIS_URL"],
    [{ ASSAY_TLS_CERT: "cert.pem" }, "ASSAY_TLS_KEY"],
    [{ ASSAY_LOG_LEVEL: "loud" }, "ASSAY_LOG_LEVEL"],
    [{ ASSAY_ADMIN_TOKEN: "short" }, "ASSAY_ADMIN_TOKEN"],
    [{ ASSAY_RATE_LIMIT_REQUESTS: "0" }, "ASSAY_RATE_LIMIT_REQUESTS"],
    [{ ASSAY_RETENTION_INTERVAL_MINUTES: "-1" }, "ASSAY_RETENTION_INTERVAL_MINUTES"],
    [{ ASSAY_RETENTION_INTERVAL_MINUTES: "1.5" }, "ASSAY_RETENTION_INTERVAL_MINUTES"],
    [{ ASSAY_PUBLIC_URL: "assay.example.com" }, "ASSAY_PUBLIC_URL"],
    [{ ASSAY_PUBLIC_URL: "ftp://assay.example.com" }, "ASSAY_PUBLIC_URL"],
    [{ ASSAY_PUBLIC_URL: "https://example.com/assay" }, "ASSAY_PUBLIC_URL"],
    [{ ASSAY_SESSION_IDLE_HOURS: "0" }, "ASSAY_SESSION_IDLE_HOURS"],
    [{ ASSAY_SESSION_IDLE_HOURS: "1e3" }, "ASSAY_SESSION_IDLE_HOURS"],
    [{ ASSAY_SESSION_MAX_DAYS: "0.5" }, "ASSAY_SESSION_MAX_DAYS"],
    [{ ASSAY_ADMIN_EMAIL: "admin" }, "ASSAY_ADMIN_EMAIL"],
    [{ ASSAY_ADMIN_EMAIL: "a b@example.com" }, "ASSAY_ADMIN_EMAIL"],
    [{ ASSAY_METRICS_TOKEN: "short" }, "ASSAY_METRICS_TOKEN"],
    [{ ASSAY_SHUTDOWN_GRACE_SECONDS: "0" }, "ASSAY_SHUTDOWN_GRACE_SECONDS"],
    [{ ASSAY_DATABASE_CONNECT_TIMEOUT_SECONDS: "0" }, "ASSAY_DATABASE_CONNECT_TIMEOUT_SECONDS"],
    [{ ASSAY_SQLITE_SYNCHRONOUS: "off" }, "ASSAY_SQLITE_SYNCHRONOUS"],
  ])("rejects %o naming the variable", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it("reads SQLite's synchronous mode: normal unless full is asked for", () => {
    expect(loadConfig({}).sqliteSynchronous).toBe("normal");
    expect(loadConfig({ ASSAY_SQLITE_SYNCHRONOUS: "FULL" }).sqliteSynchronous).toBe("full");
  });

  it("reads the web sign-in settings: public origin, idle hours (fractions allowed) and maximum days", () => {
    expect(loadConfig({})).toMatchObject({ publicUrl: null, sessionIdleHours: 168, sessionMaxDays: 30 });
    const config = loadConfig({
      ASSAY_PUBLIC_URL: "https://Assay.Example.com:443/",
      ASSAY_SESSION_IDLE_HOURS: "0.5",
      ASSAY_SESSION_MAX_DAYS: "7",
    });
    expect(config).toMatchObject({ publicUrl: "https://assay.example.com", sessionIdleHours: 0.5, sessionMaxDays: 7 });
    expect(loadConfig({ ASSAY_PUBLIC_URL: "http://10.0.0.5:8080" }).publicUrl).toBe("http://10.0.0.5:8080");
  });

  it("reads PostgreSQL, Redis and limits", () => {
    const config = loadConfig({
      ASSAY_DATABASE_URL: "postgres://u@h/db",
      ASSAY_REDIS_URL: "redis://h:6379",
      ASSAY_MAX_BODY_MB: "2",
      ASSAY_RATE_LIMIT_WINDOW_SECONDS: "5",
    });
    expect(config).toMatchObject({
      databaseUrl: "postgres://u@h/db",
      redisUrl: "redis://h:6379",
      maxBodyBytes: 2 * 1024 * 1024,
      rateLimitWindowSeconds: 5,
    });
  });

  it("reads the connection limits and refuses a headers timeout above the request timeout", () => {
    expect(loadConfig({})).toMatchObject({
      requestTimeoutSeconds: 300,
      headersTimeoutSeconds: 30,
      keepAliveTimeoutSeconds: 65,
      maxConnections: 10_000,
    });
    const config = loadConfig({ ASSAY_REQUEST_TIMEOUT_SECONDS: "0", ASSAY_HEADERS_TIMEOUT_SECONDS: "90" });
    expect(config).toMatchObject({ requestTimeoutSeconds: 0, headersTimeoutSeconds: 90 });
    expect(() => loadConfig({ ASSAY_REQUEST_TIMEOUT_SECONDS: "10", ASSAY_HEADERS_TIMEOUT_SECONDS: "20" })).toThrow(
      "ASSAY_HEADERS_TIMEOUT_SECONDS",
    );
    expect(() => loadConfig({ ASSAY_MAX_CONNECTIONS: "-1" })).toThrow("ASSAY_MAX_CONNECTIONS");
    expect(() => loadConfig({ ASSAY_KEEP_ALIVE_TIMEOUT_SECONDS: "0" })).toThrow("ASSAY_KEEP_ALIVE_TIMEOUT_SECONDS");
  });
});
