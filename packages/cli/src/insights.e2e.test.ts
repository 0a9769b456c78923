import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AutomationRun, RunComparison } from "@assay/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, builtForE2e, createdRunId, type RunningServer, runCli, startServer } from "./test-support/e2e.js";

/**
 * CI metadata, the closing summary, GITHUB_STEP_SUMMARY and `--exit-code from-results`: the real
 * `assay` process against the real server process (run fields, run comparison, quarantine).
 */
describe.skipIf(!builtForE2e)("assay CLI: CI metadata, summary and exit code from results", () => {
  let server: RunningServer;
  let work: string;

  const SHA = "3f786850e387550fdab836ed7e6dc881de23001b";
  /** A push build of `main` in GitHub Actions, second attempt, as the runner sets it. */
  const githubEnv = (extra: Record<string, string> = {}) => ({
    GITHUB_ACTIONS: "true",
    GITHUB_SHA: SHA,
    GITHUB_REF_NAME: "main",
    GITHUB_HEAD_REF: "",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "acme/shop",
    GITHUB_RUN_ID: "1234567",
    GITHUB_RUN_ATTEMPT: "2",
    ...extra,
  });
  const BUILD_URL = "https://github.com/acme/shop/actions/runs/1234567/attempts/2";

  beforeAll(async () => {
    server = await startServer({ ASSAY_RATE_LIMIT_REQUESTS: "100000" });
    work = await mkdtemp(join(tmpdir(), "assay-e2e-insights-"));
  });
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const submitArgs = (name: string, source: string, results: string) => [
    "automation:run:submit",
    "--instance",
    server.url,
    "--project-id",
    "1",
    "--name",
    name,
    "--source",
    source,
    "--results",
    results,
  ];
  const exitWith = (code: number) => ["--", process.execPath, "-e", `process.exit(${code})`];

  /** A JUnit file: [name, outcome, seconds, failure message]. */
  async function junit(file: string, suite: string, tests: [string, "pass" | "fail", number?, string?][]) {
    const cases = tests.map(([name, outcome, time = 0.01, message = "assertion failed"]) => {
      const open = `<testcase classname="${suite}" name="${name}" time="${time}"`;
      if (outcome === "pass") return `    ${open}/>`;
      return `    ${open}><failure message="${message}" type="AssertionError">${message}\n  at ${suite}</failure></testcase>`;
    });
    await writeFile(
      join(work, file),
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="${suite}">\n${cases.join("\n")}\n  </testsuite>\n</testsuites>\n`,
    );
  }

  async function send(method: string, path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const getRun = async (id: number) => (await server.get<{ result: AutomationRun }>(`/automation/runs/${id}`)).result;
  const getComparison = async (id: number) =>
    (await server.get<{ result: RunComparison }>(`/x/automation/runs/${id}/comparison`)).result;

  it("adds Commit, Branch and the build link from GitHub Actions' variables to the run", async () => {
    await junit("ci.xml", "ci.Smoke", [["starts", "pass"]]);
    const result = await runCli(submitArgs("e2e ci metadata", "e2e-ci", "ci.xml"), { cwd: work, env: githubEnv() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).not.toMatch(/GitHub|CI metadata/);
    const run = await getRun(createdRunId(result.stdout));
    expect(run.fields).toEqual([
      expect.objectContaining({ type: 1, name: "Commit", value: SHA }),
      expect.objectContaining({ type: 1, name: "Branch", value: "main" }),
    ]);
    expect(run.links).toEqual([expect.objectContaining({ name: "GitHub Actions build", url: BUILD_URL })]);

    // run:create too; its stdout stays the id alone
    const created = await runCli(
      [
        "automation:run:create",
        "--instance",
        server.url,
        "--project-id",
        "1",
        "--name",
        "e2e ci create",
        "--source",
        "e2e-ci",
      ],
      { cwd: work, env: githubEnv({ GITHUB_HEAD_REF: "feature/login", GITHUB_RUN_ATTEMPT: "1" }) },
    );
    expect(created.stdout).toMatch(/^\d+\n$/);
    const createdRun = await getRun(Number(created.stdout));
    expect(createdRun.fields.map((f) => [f.name, f.value])).toEqual([
      ["Commit", SHA],
      ["Branch", "feature/login"],
    ]);
    expect(createdRun.links.map((l) => l.url)).toEqual(["https://github.com/acme/shop/actions/runs/1234567"]);
  });

  it("adds nothing with --no-ci-metadata, and never overrides the user's own Commit field or link", async () => {
    await junit("ci2.xml", "ci.Smoke", [["starts", "pass"]]);
    const off = await runCli([...submitArgs("e2e no ci", "e2e-ci", "ci2.xml"), "--no-ci-metadata"], {
      cwd: work,
      env: githubEnv(),
    });
    expect(off.code, off.stderr).toBe(0);
    const plain = await getRun(createdRunId(off.stdout));
    expect(plain.fields).toEqual([]);
    expect(plain.links).toEqual([]);

    await writeFile(
      join(work, "own.json"),
      JSON.stringify({
        fields: [{ type: "string", name: "COMMIT", value: "my-own" }],
        links: [{ name: "Our CI", url: BUILD_URL }],
      }),
    );
    const own = await runCli([...submitArgs("e2e own ci", "e2e-ci", "ci2.xml"), "--resources", "own.json"], {
      cwd: work,
      env: githubEnv(),
    });
    expect(own.code, own.stderr).toBe(0);
    const run = await getRun(createdRunId(own.stdout));
    expect(run.fields.map((f) => [f.name, f.value])).toEqual([
      ["COMMIT", "my-own"],
      ["Branch", "main"],
    ]);
    expect(run.links.map((l) => [l.name, l.url])).toEqual([["Our CI", BUILD_URL]]);
  });

  it("prints the run's address and its comparison with the previous run, and writes the job summary", async () => {
    await junit("cart1.xml", "shop.Cart", [
      ["adds an item", "pass"],
      ["applies a coupon", "fail", 0.01, "expected 10 to be 9"],
      ["checks out", "pass", 0.2],
      ["old checkout", "pass"],
    ]);
    const first = await runCli(submitArgs("e2e cart 1", "e2e-summary", "cart1.xml"), { cwd: work, env: githubEnv() });
    expect(first.code, first.stderr).toBe(0);
    const firstId = createdRunId(first.stdout);

    await junit("cart2.xml", "shop.Cart", [
      ["adds an item", "fail", 0.01, "expected 2 items, got 1 &lt;b&gt;|`x`"],
      ["applies a coupon", "pass"],
      ["checks out", "pass", 0.9],
      ["removes an item", "pass"],
    ]);
    const stepSummary = join(work, "step-summary.md");
    await writeFile(stepSummary, "## Earlier step\n");
    const second = await runCli(submitArgs("e2e cart 2", "e2e-summary", "cart2.xml"), {
      cwd: work,
      env: githubEnv({ GITHUB_STEP_SUMMARY: stepSummary }),
    });
    expect(second.code, second.stderr).toBe(0);
    const id = createdRunId(second.stdout);
    const summary = second.stdout.slice(second.stdout.indexOf("Summary: 4 tests"));
    expect(summary.split("\n").slice(1)).toEqual([
      `Run: ${server.url}/automation/runs/${id}`,
      `Baseline: run ${firstId} "e2e cart 1", latest completed run of the same source, branch and configuration`,
      "Counts: new failures 1, still failing 0, fixed 1, new tests 1, gone tests 1, slower 1",
      "Failed tests: 1",
      "New failures:",
      "  shop.Cart › adds an item — expected 2 items, got 1 <b>|`x`",
      "Fixed:",
      "  shop.Cart › applies a coupon",
      "Slower:",
      "  shop.Cart › checks out: 200 ms → 900 ms",
      "",
    ]);
    // the server read commit and branch from the run fields the CLI added
    expect((await getComparison(id)).run).toMatchObject({ commit_sha: SHA, branch: "main" });

    const markdown = await readFile(stepSummary, "utf8");
    expect(markdown).toBe(
      [
        "## Earlier step",
        `### Assay: [e2e cart 2 (run ${id})](${server.url}/automation/runs/${id})`,
        "",
        `Compared with [e2e cart 1 (run ${firstId})](${server.url}/automation/runs/${firstId}), the latest completed run of the same source, branch and configuration.`,
        "",
        "| New failures | Still failing | Fixed | New tests | Gone tests | Slower | Failed tests |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        "| 1 | 0 | 1 | 1 | 1 | 1 | 1 |",
        "",
        "#### New failures",
        "",
        "- shop\\.Cart › adds an item — expected 2 items, got 1 &lt;b&gt;\\|\\`x\\`",
        "",
        "#### Fixed",
        "",
        "- shop\\.Cart › applies a coupon",
        "",
        "#### Slower",
        "",
        "- shop\\.Cart › checks out: 200 ms → 900 ms",
        "",
        "",
      ].join("\n"),
    );

    // --quiet: no summary on stdout (the job summary is still written)
    const quiet = await runCli([...submitArgs("e2e cart 3", "e2e-summary", "cart2.xml"), "--quiet"], {
      cwd: work,
      env: githubEnv({ GITHUB_STEP_SUMMARY: stepSummary }),
    });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe("");
    expect((await readFile(stepSummary, "utf8")).match(/^### Assay: /gm)).toHaveLength(2);
  });

  it("prints the summary after automation:run:complete", async () => {
    await junit("thread.xml", "shop.Search", [["finds", "pass"]]);
    const created = await runCli(
      [
        "automation:run:create",
        "--instance",
        server.url,
        "--project-id",
        "1",
        "--name",
        "e2e par",
        "--source",
        "e2e-par-summary",
      ],
      { cwd: work },
    );
    const runId = created.stdout.trim();
    const thread = await runCli(
      ["automation:run:submit-thread", "--instance", server.url, "--run-id", runId, "--results", "thread.xml"],
      { cwd: work },
    );
    expect(thread.code, thread.stderr).toBe(0);
    expect(thread.stdout).not.toContain("Run: ");
    const completed = await runCli(["automation:run:complete", "--instance", server.url, "--run-id", runId], {
      cwd: work,
    });
    expect(completed.code, completed.stderr).toBe(0);
    expect(completed.stdout).toContain(
      `Marked the test run as completed\nRun: ${server.url}/automation/runs/${runId}\nBaseline: no baseline`,
    );
    expect(completed.stdout).toContain("Counts: new failures 0, still failing 0, fixed 0, new tests 1");
  });

  it("--exit-code from-results: 0 when the only failed test is quarantined, 1 when one is not", async () => {
    await junit("quarantine1.xml", "shop.Payments", [
      ["charges the card", "pass"],
      ["refunds (flaky)", "fail", 0.01, "timeout after 5000 ms"],
    ]);
    const first = await runCli(
      [
        ...submitArgs("e2e quarantine 1", "e2e-quarantine", "quarantine1.xml"),
        "--exit-code",
        "from-results",
        ...exitWith(1),
      ],
      { cwd: work },
    );
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain("Exit code 1 (from results: 1 failed test is not quarantined)");
    const firstComparison = await getComparison(createdRunId(first.stdout));
    const flaky = firstComparison.tests.new_failures.find((t) => t.name === "refunds (flaky)");
    expect(flaky).toBeDefined();
    const quarantined = await send("PUT", `/x/automation/cases/${flaky!.automation_case_id}/quarantine`, {
      reason: "known flaky",
    });
    expect(quarantined.status, JSON.stringify(quarantined.body)).toBe(200);

    // the same failure again, the test command exits 1: the build passes
    const second = await runCli(
      [
        ...submitArgs("e2e quarantine 2", "e2e-quarantine", "quarantine1.xml"),
        "--exit-code",
        "from-results",
        ...exitWith(1),
      ],
      { cwd: work },
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("Failed tests: 1 (1 quarantined)");
    expect(second.stdout).toContain("Exit code 0 (from results: the failed test is quarantined)");
    // without the option, Testmo's behaviour: the command's exit code
    const child = await runCli(
      [...submitArgs("e2e quarantine 2b", "e2e-quarantine", "quarantine1.xml"), ...exitWith(1)],
      { cwd: work },
    );
    expect(child.code).toBe(1);
    expect(child.stdout).not.toContain("Exit code");

    // a failure that is not quarantined fails the build, even when the command exited 0
    await junit("quarantine2.xml", "shop.Payments", [
      ["charges the card", "fail", 0.01, "card declined"],
      ["refunds (flaky)", "fail", 0.01, "timeout after 5000 ms"],
    ]);
    for (const [childCode, expected] of [
      [1, 1],
      [0, 1],
      [3, 3],
    ]) {
      const third = await runCli(
        [
          ...submitArgs(`e2e quarantine 3 (${childCode})`, "e2e-quarantine", "quarantine2.xml"),
          "--exit-code",
          "from-results",
          ...exitWith(childCode!),
        ],
        { cwd: work },
      );
      expect(third.code, third.stdout + third.stderr).toBe(expected);
      expect(third.stdout).toContain("Failed tests: 2 (1 quarantined)");
    }
  });

  it("refuses an --exit-code other than child or from-results before running anything", async () => {
    const result = await runCli([...submitArgs("x", "e2e-x", "*.xml"), "--exit-code", "always", ...exitWith(0)], {
      cwd: work,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Allowed choices are child, from-results.");
  });
});
