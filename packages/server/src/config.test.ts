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
  ])("rejects %o naming the variable", (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
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
