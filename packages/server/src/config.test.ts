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
  ])("rejects %o naming the variable", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
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
});
