import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  builtForE2e,
  createdRunId,
  type RunningServer,
  runCli,
  runCounts,
  startServer,
  writeJunit,
} from "./test-support/e2e.js";
import { FaultProxy, type ProxyAction } from "./test-support/fault-proxy.js";

/**
 * The real `assay` process against the real server process. Skipped when either is not built
 * (`npm run build`); `npm test` builds first.
 */
describe.skipIf(!builtForE2e)("assay CLI against the real server", () => {
  let server: RunningServer;
  let work: string;

  beforeAll(async () => {
    server = await startServer({ ASSAY_RATE_LIMIT_REQUESTS: "100000" });
    work = await mkdtemp(join(tmpdir(), "assay-e2e-cli-"));
    await mkdir(join(work, "reports/nested"), { recursive: true });
    await writeJunit(work, "reports/unit.xml", { passed: 300, failed: 20, skipped: 10, prefix: "unit" });
    await writeJunit(work, "reports/nested/api.xml", { passed: 100, failed: 0, skipped: 0, prefix: "api" });
    for (const shard of [1, 2, 3]) {
      await writeJunit(work, `shard${shard}.xml`, { passed: 200, failed: shard, skipped: 1, prefix: `shard${shard}` });
    }
    await writeJunit(work, "faults.xml", { passed: 950, failed: 40, skipped: 10, prefix: "faults" });
  });
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const instanceArgs = () => ["--instance", server.url];

  it("submits all results, passes the child's exit code through, and the counts are exact", async () => {
    const result = await runCli(
      [
        "automation:run:submit",
        ...instanceArgs(),
        "--project-id",
        "1",
        "--name",
        "e2e full submit",
        "--source",
        "e2e-unit",
        "--results",
        "reports/**/*.xml",
        "--",
        process.execPath,
        "-e",
        "console.log('tests ran'); process.exit(3)",
      ],
      { cwd: work },
    );
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("tests ran");
    expect(result.stdout).toContain("Found 2 result files with a total of 430 tests");
    const counts = await runCounts(server, createdRunId(result.stdout));
    expect(counts).toMatchObject({
      is_completed: true,
      total_count: 430,
      status1_count: 400,
      status2_count: 20,
      status5_count: 10,
    });
    expect(counts.threads).toHaveLength(1);
  });

  it("runs the parallel flow: create, three submit-thread at once, complete", async () => {
    const created = await runCli(
      [
        "automation:run:create",
        ...instanceArgs(),
        "--project-id",
        "1",
        "--name",
        "e2e parallel",
        "--source",
        "e2e-par",
      ],
      { cwd: work },
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^\d+\n$/);
    const runId = created.stdout.trim();

    const threads = await Promise.all(
      [1, 2, 3].map((shard) =>
        runCli(
          ["automation:run:submit-thread", ...instanceArgs(), "--run-id", runId, "--results", `shard${shard}.xml`],
          {
            cwd: work,
          },
        ),
      ),
    );
    for (const thread of threads) expect(thread.code, thread.stderr).toBe(0);

    const completed = await runCli(["automation:run:complete", ...instanceArgs(), "--run-id", runId], { cwd: work });
    expect(completed.code, completed.stderr).toBe(0);
    const counts = await runCounts(server, Number(runId));
    expect(counts).toMatchObject({
      is_completed: true,
      total_count: 3 * 201 + 6,
      status1_count: 600,
      status2_count: 6,
      status5_count: 3,
    });
    expect(counts.threads).toHaveLength(3);
    expect(counts.threads.every((thread) => thread.is_completed && thread.total_count > 200)).toBe(true);
  });

  it("survives 429 (with and without Retry-After), 503 and lost responses without duplicates", async () => {
    let appends = 0;
    let threadCreates = 0;
    let runCreates = 0;
    const proxy = new FaultProxy(server.url, (request): ProxyAction => {
      if (request.path.endsWith("/automation/runs")) {
        return runCreates++ === 0 ? "forward-then-drop" : "forward";
      }
      if (request.path.endsWith("/threads")) {
        return threadCreates++ === 0 ? { status: 503 } : "forward";
      }
      if (!request.path.includes("/threads/") || !request.path.endsWith("/append")) return "forward";
      const attempt = appends++;
      if (attempt === 0) return { status: 429, headers: { "retry-after": "2" } };
      if (attempt === 2) return { status: 429 };
      if (attempt === 4) return { status: 503 };
      if (attempt === 6 || attempt === 9) return "forward-then-drop";
      return "forward";
    });
    const proxyUrl = await proxy.start();
    try {
      const result = await runCli(
        [
          "automation:run:submit",
          "--instance",
          proxyUrl,
          "--project-id",
          "1",
          "--name",
          "e2e faults",
          "--source",
          "e2e-faults",
          "--results",
          "faults.xml",
          "--batch-size",
          "100",
        ],
        // Waits shrunk 100-fold: 60 s without Retry-After becomes 0.6 s.
        { cwd: work, env: { ASSAY_RETRY_SCALE: "0.01" } },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain("Server response (429)");
      expect(result.stderr).toContain("Server response (503)");
      expect(result.stderr).toContain("Connection error");

      const counts = await runCounts(server, createdRunId(result.stdout));
      expect(counts).toMatchObject({ total_count: 1000, status1_count: 950, status2_count: 40, status5_count: 10 });
      expect(counts.threads).toHaveLength(1);
      // Every retry of one logical request carried the same key.
      const appendKeys = proxy.seen.filter((r) => r.path.endsWith("/append")).map((r) => r.idempotencyKey);
      expect(new Set(appendKeys).size).toBe(10);
      expect(appendKeys.length).toBe(15);
      const runs = await server.get<{ result: { name: string }[] }>("/projects/1/automation/runs?per_page=100");
      expect(runs.result.filter((run) => run.name === "e2e faults")).toHaveLength(1);
    } finally {
      await proxy.stop();
    }
  });

  /** `submit` of a child that prints "child ran", so a test can tell whether it ran. */
  const submitWithChild = (projectId: string, env: Record<string, string>) =>
    runCli(
      [
        "automation:run:submit",
        ...instanceArgs(),
        "--project-id",
        projectId,
        "--name",
        "x",
        "--source",
        "x1",
        "--results",
        "*.xml",
        "--",
        process.execPath,
        "-e",
        "console.log('child ran')",
      ],
      { cwd: work, env },
    );

  it("fails fast without a token, before the child command runs", async () => {
    const result = await submitWithChild("1", { ASSAY_TOKEN: "", TESTMO_TOKEN: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Missing API token: set the ASSAY_TOKEN");
    expect(result.stdout).not.toContain("child ran");
  });

  it("checks token and project with the server before running the tests", async () => {
    const submitTo = (projectId: string, token: string) => submitWithChild(projectId, { ASSAY_TOKEN: token });
    const unknownProject = await submitTo("999", ADMIN_TOKEN);
    expect(unknownProject.code).toBe(1);
    expect(unknownProject.stderr).toContain(
      "Project 999 does not exist on the server (check --project-id); nothing was run or sent",
    );
    expect(unknownProject.stdout).not.toContain("child ran");
    const wrongToken = await submitTo("1", "wrong-token-wrong-token");
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain(`The server at ${server.url} does not accept the API token`);
    expect(wrongToken.stdout).not.toContain("child ran");
  });

  it("refuses, before running the tests, a token whose role may not upload", async () => {
    const created = await fetch(`${server.url}/api/v1/x/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "reader@example.com", name: "Reader", role: "read-only", token_name: "ci" }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const result = await submitWithChild("1", { ASSAY_TOKEN: token });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "The token's role in project 1 does not allow uploading automation results; nothing was run or sent",
    );
    expect(result.stderr).toContain("The role allows: view.");
    expect(result.stdout).not.toContain("child ran");
  });

  it("prints the server's 401 answer and the token hint", async () => {
    const result = await runCli(
      ["automation:run:create", ...instanceArgs(), "--project-id", "1", "--name", "x", "--source", "x1"],
      { cwd: work, env: { ASSAY_TOKEN: "wrong-token-wrong-token" } },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Server response \(401\): .+\nPlease verify your API token \(ASSAY_TOKEN or TESTMO_TOKEN\)\n$/,
    );
  });
});

describe.skipIf(!builtForE2e)("assay CLI under a low rate limit", () => {
  let server: RunningServer;
  let work: string;

  beforeAll(async () => {
    server = await startServer({ ASSAY_RATE_LIMIT_REQUESTS: "5", ASSAY_RATE_LIMIT_WINDOW_SECONDS: "3" });
    work = await mkdtemp(join(tmpdir(), "assay-e2e-rate-"));
    await writeJunit(work, "big.xml", { passed: 5500, failed: 400, skipped: 100, perSuite: 500 });
  });
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("uploads 6,000 tests at 5 requests per 3 s, waiting out every 429, with exact counts", async () => {
    const result = await runCli(
      [
        "automation:run:submit",
        "--instance",
        server.url,
        "--project-id",
        "1",
        "--name",
        "e2e rate limited",
        "--source",
        "e2e-rate",
        "--results",
        "big.xml",
        "--batch-size",
        "500",
      ],
      { cwd: work },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain("Server response (429)");
    const counts = await runCounts(server, createdRunId(result.stdout));
    expect(counts).toMatchObject({
      is_completed: true,
      total_count: 6000,
      status1_count: 5500,
      status2_count: 400,
      status5_count: 100,
    });
  }, 120_000);
});
