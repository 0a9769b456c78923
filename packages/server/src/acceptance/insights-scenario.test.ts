import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient } from "../test-support/http.js";
import { startServerProcess, type TestServer } from "../test-support/server-process.js";

/**
 * The test-intelligence acceptance scenario, as a CI team lives it: 21 builds
 * of one project uploaded by the real `assay` CLI (GitHub Actions metadata, a
 * commit per build) to the real server, on every backend. Checks the exact
 * flaky marks, failure groups, comparisons and exit codes that
 * docs/analytics.md defines.
 *
 * Tests of the suite `shop.Checkout` over builds 1…21:
 * - pays: always passes;
 * - flipper: passes in odd builds, fails in even ones (flip rate 100 %);
 * - pool: fails in every build, "Timed out after N ms waiting for connection K" with N and K changing;
 * - late: passes in builds 1–19, fails in 20, passes in 21;
 * - known: fails in 18 and 20 and 21, quarantined before build 20;
 * - retried: in build 5 fails and then passes on retry (same build), passes elsewhere.
 */
const CLI = fileURLToPath(new URL("../../../cli/dist/main.js", import.meta.url));
const SUITE = "shop.Checkout";

type Outcome = "pass" | "fail";

function outcomesOf(build: number): [string, Outcome, string?][] {
  const tests: [string, Outcome, string?][] = [
    ["pays", "pass"],
    ["flipper", build % 2 === 1 ? "pass" : "fail", `expected 200 but was ${500 + build}`],
    ["pool", "fail", `Timed out after ${5000 + build * 7} ms waiting for connection ${build % 5}`],
    ["late", build === 20 ? "fail" : "pass", "expected cart total 30.00 but was 29.99"],
    ["known", [18, 20, 21].includes(build) ? "fail" : "pass", `element #promo-${build} not visible`],
  ];
  if (build === 5) tests.push(["retried", "fail", "socket hang up"], ["retried", "pass"]);
  else tests.push(["retried", "pass"]);
  return tests;
}

function junit(build: number): string {
  const cases = outcomesOf(build).map(([name, outcome, message]) => {
    const open = `<testcase classname="${SUITE}" name="${name}" time="0.${build % 10}5">`;
    if (outcome === "pass") return `${open}</testcase>`;
    const text = `java.lang.AssertionError: ${message}\n\tat shop.Checkout.${name}(Checkout.java:${40 + build})\n\tat org.junit.runners.ParentRunner.run(ParentRunner.java:413)`;
    return `${open}<failure message="${message}" type="java.lang.AssertionError">${text}</failure></testcase>`;
  });
  return `<?xml version="1.0"?>\n<testsuite name="${SUITE}">\n${cases.join("\n")}\n</testsuite>\n`;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe.each(BACKENDS)("test intelligence scenario on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let work: string;
  const runIds: number[] = [];
  const results: CliRun[] = [];

  /** Uploads build `n` with the CLI as a GitHub Actions job would, the child exiting `childCode`. */
  function upload(n: number, childCode = 0, extra: string[] = []): Promise<CliRun> {
    const file = path.join(work, `build-${n}.xml`);
    fs.writeFileSync(file, junit(n));
    const args = [CLI, "automation:run:submit", "--instance", server.url, "--project-id", "1"];
    args.push("--name", `build ${n}`, "--source", "unit", "--results", file, ...extra);
    args.push("--", process.execPath, "-e", `process.exit(${childCode})`);
    const child = spawn(process.execPath, args, {
      env: {
        PATH: process.env.PATH ?? "",
        ASSAY_TOKEN: server.token,
        GITHUB_ACTIONS: "true",
        GITHUB_SHA: `c0ffee${String(n).padStart(4, "0")}`,
        GITHUB_REF_NAME: "main",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_REPOSITORY: "acme/shop",
        GITHUB_RUN_ID: String(1000 + n),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
  }

  async function caseIdOf(name: string): Promise<number> {
    const { body } = await api.get(`/x/projects/1/automation/cases?name=${name}`);
    return body.result.find((c: { name: string }) => c.name === name).id;
  }

  async function quarantine(name: string) {
    const res = await api.request("PUT", `/x/automation/cases/${await caseIdOf(name)}/quarantine`, {
      body: { reason: "known flaky, fix in progress" },
    });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_RATE_LIMIT_REQUESTS: "100000" } });
    api = new ApiClient(server.url, server.token);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "assay-scenario-"));
    for (let n = 1; n <= 21; n++) {
      if (n === 20) await quarantine("known");
      if (n === 21) await quarantine("pool");
      const run = await upload(n, n >= 20 ? 1 : 0, n >= 20 ? ["--exit-code", "from-results"] : []);
      const created = /Created new test automation run \(ID: (\d+)\)/.exec(run.stdout);
      if (!created) throw new Error(`build ${n} did not create a run:\n${run.stdout}\n${run.stderr}`);
      runIds.push(Number(created[1]));
      results.push(run);
    }
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("stores every build with its commit and branch from the CI environment", async () => {
    const { body } = await api.get(`/x/automation/cases/${await caseIdOf("pays")}/history?per_page=25`);
    expect(body.total).toBe(21);
    expect(body.result[0]).toMatchObject({ run_id: runIds[20], commit_sha: "c0ffee0021", branch: "main", status: 2 });
  });

  it("marks exactly the documented tests flaky, for the documented reasons", async () => {
    const { body } = await api.get("/x/projects/1/automation/cases?per_page=25&sort=name&order=asc");
    const byName = Object.fromEntries(body.result.map((c: { name: string }) => [c.name, c]));
    // flipper: P F P F … over 21 outcomes: every pair flips.
    expect(byName.flipper).toMatchObject({ flaky_percent: 100, is_flaky: true, flaky_reasons: ["flip_rate"] });
    // retried: failed, then passed on the same commit within build 5; and those are 2 flips in 21 pairs (10 %).
    expect(byName.retried).toMatchObject({
      is_flaky: true,
      flaky_percent: 10,
      flaky_reasons: ["same_commit", "flip_rate"],
      result_count: 22,
    });
    expect(byName.retried.recent_outcomes).toBe(`PPPPFp${"P".repeat(16)}`);
    // late: 19 passes, 1 failure, 1 pass: 2 flips in 20 pairs = 10 %, the default threshold.
    expect(byName.late).toMatchObject({ flaky_percent: 10, is_flaky: true, flaky_reasons: ["flip_rate"] });
    // known: P×17 F P F F: 3 flips in 20 pairs.
    expect(byName.known).toMatchObject({ flaky_percent: 15, is_flaky: true });
    expect(byName.pays).toMatchObject({ flaky_percent: 0, is_flaky: false, flaky_reasons: [], failure_count: 0 });
    expect(byName.pool).toMatchObject({ flaky_percent: 0, is_flaky: false, failure_count: 21, status: 3 });
    const flaky = await api.get("/x/projects/1/automation/cases?flaky=true&sort=flaky_percent");
    const order = flaky.body.result.map((c: { name: string }) => c.name);
    // late and retried tie at 10 %: ties go by id, which differs by backend.
    expect(order.slice(0, 2)).toEqual(["flipper", "known"]);
    expect(order.slice(2).sort()).toEqual(["late", "retried"]);
  });

  it("groups the pool failures of 21 builds into one failure group despite their changing numbers", async () => {
    const { body } = await api.get("/x/projects/1/failure-groups?sort=failure_groups:occurrence_count&order=desc");
    const pool = body.result[0];
    expect(pool).toMatchObject({
      type: "java.lang.AssertionError",
      message: "Timed out after <duration> waiting for connection <num>",
      occurrence_count: 21,
      test_count: 1,
      run_count: 21,
      first_run_id: runIds[0],
      last_run_id: runIds[20],
    });
    expect(pool.frames).toEqual(["shop.Checkout.pool (Checkout.java)"]);
    // flipper's ten failures (builds 2, 4, … 20) are another single group
    const flipper = body.result.find((g: { message: string }) => g.message === "expected <num> but was <num>");
    expect(flipper).toMatchObject({ occurrence_count: 10, run_count: 10, test_count: 1 });
  });

  it("tells which groups are new in a run", async () => {
    const { body } = await api.get(`/x/automation/runs/${runIds[19]}/failure-groups`);
    const byMessage = Object.fromEntries(body.result.map((g: { message: string }) => [g.message, g]));
    expect(byMessage["expected cart total <num> but was <num>"]).toMatchObject({
      is_new: true,
      run_occurrence_count: 1,
    });
    expect(byMessage["Timed out after <duration> waiting for connection <num>"]).toMatchObject({ is_new: false });
    expect(body.result).toHaveLength(4);
  });

  it("compares build 20 with build 19: new failures after a green run, one still failing, one quarantined", async () => {
    const { body } = await api.get(`/x/automation/runs/${runIds[19]}/comparison`);
    const names = (category: string) => body.result.tests[category].map((t: { name: string }) => t.name);
    expect(body.result.baseline).toMatchObject({ id: runIds[18], commit_sha: "c0ffee0019", branch: "main" });
    expect(body.result.baseline_rule).toBe("same_branch_and_config");
    expect(names("new_failures")).toEqual(["flipper", "known", "late"]);
    expect(names("still_failing")).toEqual(["pool"]);
    expect(names("fixed")).toEqual([]);
    // Quarantine is read at request time: pool has been quarantined since build 21 too.
    expect(body.result.failures).toEqual({ total: 4, quarantined: 2, unquarantined: 2 });
    expect(body.result.tests.new_failures.find((t: { name: string }) => t.name === "known").is_quarantined).toBe(true);
    // What the CLI printed right after build 20, when only known was quarantined:
    expect(results[19]!.stdout).toContain("Failed tests: 4 (1 quarantined)");
  });

  it("exits 1 from results while an unquarantined test fails, and 0 once every failure is quarantined", async () => {
    const build20 = results[19]!;
    expect(build20.code).toBe(1);
    expect(build20.stdout).toContain("New failures:");
    expect(build20.stdout).toMatch(/shop\.Checkout › late/);
    const build21 = results[20]!;
    // The child exited 1, but both failures (pool, known) are quarantined.
    expect(build21.stdout).toMatch(/Fixed:[\s\S]*flipper/);
    expect(build21.code).toBe(0);
    const { body } = await api.get(`/x/automation/runs/${runIds[20]}/comparison`);
    expect(body.result.failures).toEqual({ total: 2, quarantined: 2, unquarantined: 0 });
  });
});
