import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Logger } from "../output/logger.js";
import { CapturedOutput, instantPolicy } from "../test-support/context.js";
import { selfSignedCertificate } from "../test-support/e2e.js";
import { FakeApi } from "../test-support/fake-api.js";
import { ApiClient } from "./client.js";
import { ApiResponseError, ConnectionError } from "./errors.js";
import { parseRetryAfterMs } from "./retry.js";
import { appendBatch } from "./uploader.js";

describe("ApiClient", () => {
  const api = new FakeApi();
  let origin = "";
  let output: CapturedOutput;
  let policy: ReturnType<typeof instantPolicy>;
  let client: ApiClient;

  beforeEach(async () => {
    origin = await api.start();
    api.requests.length = 0;
    api.fault = undefined;
    output = new CapturedOutput();
    policy = instantPolicy();
    const logger = new Logger({ ansi: false, debug: false, quiet: false, stdout: output.out, stderr: output.err });
    client = new ApiClient({ origin, token: "tok", userAgent: "ua", policy, logger });
  });
  afterEach(() => api.stop());

  it("sends the token, JSON and an Idempotency-Key", async () => {
    const created = await client.post<{ id: number }>("/projects/1/automation/runs", { name: "x" });
    expect(created.id).toBe(1);
    const [request] = api.requests;
    expect(request?.path).toBe("/projects/1/automation/runs");
    expect(request?.headers.authorization).toBe("Bearer tok");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("waits Retry-After on 429, 60 s without it, and reuses the Idempotency-Key", async () => {
    api.fault = (_request, index) => {
      if (index === 0) return { status: 429, body: { message: "slow" }, headers: { "retry-after": "3" } };
      if (index === 1) return { status: 429, body: { message: "slow" } };
      return undefined;
    };
    await client.post("/automation/runs/1/complete", {});
    expect(policy.sleeps).toEqual([3000, 60_000]);
    const keys = new Set(api.requests.map((r) => r.headers["idempotency-key"]));
    expect(api.requests).toHaveLength(3);
    expect(keys.size).toBe(1);
  });

  it("retries 503 and dropped connections with backoff, then succeeds", async () => {
    api.fault = (_request, index) => (index === 0 ? { status: 503 } : index === 1 ? "drop" : undefined);
    await client.post("/automation/runs/1/complete", {});
    expect(api.requests).toHaveLength(3);
    // full jitter with random() = 0.5: half of 1 s, then half of 2 s
    expect(policy.sleeps).toEqual([500, 1000]);
  });

  it("gives up after the retry budget with the last error", async () => {
    api.fault = () => ({ status: 502, body: { message: "bad gateway" } });
    const error = await client.post("/x", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiResponseError);
    expect((error as Error).message).toBe("Server response (502): bad gateway");
    expect(api.requests).toHaveLength(policy.maxRetries + 1);
  });

  it("does not retry other 4xx and prints Testmo's 401 and 422 details", async () => {
    api.fault = () => ({ status: 401, body: { message: "Unauthenticated." } });
    const unauthorized = (await client.post("/x", {}).catch((e: unknown) => e)) as ApiResponseError;
    expect(unauthorized.message).toBe("Server response (401): Unauthenticated.");
    expect(unauthorized.details).toEqual(["Please verify your API token (ASSAY_TOKEN or TESTMO_TOKEN)"]);

    api.fault = () => ({
      status: 422,
      body: { message: "The given data was invalid.", errors: { name: ["Name is required.", "x"], source: ["Bad."] } },
    });
    const invalid = (await client.post("/x", {}).catch((e: unknown) => e)) as ApiResponseError;
    expect(invalid.details).toEqual(["Validation: Name is required.", "Validation: Bad."]);
    expect(api.requests).toHaveLength(2);
  });

  it("prints [none] when the error body has no message", async () => {
    api.fault = () => ({ status: 404 });
    const error = (await client.post("/x", {}).catch((e: unknown) => e)) as ApiResponseError;
    expect(error.message).toBe("Server response (404): [none]");
  });

  it("reports a refused connection as a connection error after retrying", async () => {
    await api.stop();
    const error = await client.post("/x", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^Connection error: connect ECONNREFUSED/);
    expect(policy.sleeps).toHaveLength(policy.maxRetries);
    origin = await api.start();
  });

  it("fails at once, without retrying, on a certificate it does not trust, naming NODE_EXTRA_CA_CERTS", async () => {
    const dir = await mkdtemp(join(tmpdir(), "assay-tls-"));
    const { certPath, keyPath } = selfSignedCertificate(dir);
    const tls = createHttpsServer({ cert: await readFile(certPath), key: await readFile(keyPath) }, (_req, res) =>
      res.end("{}"),
    );
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const logger = new Logger({ ansi: false, debug: false, quiet: false, stdout: output.out, stderr: output.err });
      const port = (tls.address() as AddressInfo).port;
      const secure = new ApiClient({
        origin: `https://127.0.0.1:${port}`,
        token: "t",
        userAgent: "ua",
        policy,
        logger,
      });
      const error = (await secure.get("/user").catch((e: unknown) => e)) as ConnectionError;
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toBe("Connection error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)");
      expect(error.details.join("\n")).toContain("NODE_EXTRA_CA_CERTS");
      expect(policy.sleeps).toEqual([]);
    } finally {
      tls.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fails at once on an https address that answers in plain http, and on a host name that does not resolve", async () => {
    const logger = new Logger({ ansi: false, debug: false, quiet: false, stdout: output.out, stderr: output.err });
    const plain = new ApiClient({
      origin: origin.replace("http:", "https:"),
      token: "t",
      userAgent: "ua",
      policy,
      logger,
    });
    const wrongScheme = (await plain.get("/user").catch((e: unknown) => e)) as ConnectionError;
    expect(wrongScheme.message).toBe("Connection error: the server did not answer in TLS (https)");
    expect(wrongScheme.details).toEqual([
      "This address serves plain http: use http:// in --instance, or enable TLS on the server.",
    ]);
    const unknown = new ApiClient({ origin: "http://assay.invalid", token: "t", userAgent: "ua", policy, logger });
    const unresolved = (await unknown.get("/user").catch((e: unknown) => e)) as ConnectionError;
    expect(unresolved.message).toMatch(/^Connection error: getaddrinfo ENOTFOUND assay\.invalid/);
    expect(unresolved.details).toEqual(["The host name assay.invalid does not resolve: check --instance for a typo."]);
    expect(policy.sleeps).toEqual([]);
  });

  it("splits a batch answered 413 until it fits, each half with its own key", async () => {
    api.fault = (request) => {
      const tests = (request.body as { tests: unknown[] }).tests;
      return tests.length > 2 ? { status: 413, body: { message: "too large" } } : undefined;
    };
    const tests = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, name: `t${i}`, status: "passed", folder: "f" }));
    await appendBatch(client, 7, tests);
    expect(api.appendedTests().map((t) => (t as { key: string }).key)).toEqual(["k0", "k1", "k2", "k3", "k4"]);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds and HTTP dates and falls back when absent", () => {
    expect(parseRetryAfterMs("2", 0, 60_000)).toBe(2000);
    expect(parseRetryAfterMs(null, 0, 60_000)).toBe(60_000);
    expect(parseRetryAfterMs("soon", 0, 60_000)).toBe(60_000);
    expect(parseRetryAfterMs(new Date(10_000).toUTCString(), 4000, 60_000)).toBe(6000);
  });
});
