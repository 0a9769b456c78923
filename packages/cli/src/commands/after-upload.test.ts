import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ComparedTest, RunComparison } from "@assay/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Logger } from "../output/logger.js";
import { CapturedOutput, fakeParser, parsedTest, testContext } from "../test-support/context.js";
import { FakeApi } from "../test-support/fake-api.js";
import { completeRun } from "./complete.js";
import { createRun } from "./create.js";
import { submit } from "./submit.js";

/** CI metadata, the closing summary, GITHUB_STEP_SUMMARY and --exit-code, against the in-process stub server. */
const api = new FakeApi();
let instance = "";
let dir = "";

beforeAll(async () => {
  instance = await api.start();
  dir = await mkdtemp(join(tmpdir(), "assay-after-upload-"));
  await writeFile(join(dir, "a.xml"), "");
});
afterAll(() => api.stop());
beforeEach(() => api.reset());

const parser = fakeParser({ "a.xml": [parsedTest("one", "passed"), parsedTest("two", "failure")] });
const TOKEN = { ASSAY_TOKEN: "secret-token" };
const SHA = "feedface".repeat(5);
const GITHUB_ENV = {
  ...TOKEN,
  GITHUB_ACTIONS: "true",
  GITHUB_SHA: SHA,
  GITHUB_REF_NAME: "main",
  GITHUB_SERVER_URL: "https://github.com",
  GITHUB_REPOSITORY: "acme/shop",
  GITHUB_RUN_ID: "555",
  GITHUB_RUN_ATTEMPT: "1",
};

const submitOptions = (extra: Record<string, unknown> = {}) => ({
  instance,
  projectId: "1",
  name: "n",
  source: "unit",
  results: ["a.xml"],
  ...extra,
});

const failingChild = [process.execPath, "-e", "process.exit(1)"];

function failed(name: string, quarantined: boolean): ComparedTest {
  return {
    automation_case_id: 9,
    name,
    folder: "suite",
    status_id: 3,
    baseline_status_id: null,
    elapsed: 1000,
    baseline_elapsed: null,
    message: "boom",
    failure_group_id: 1,
    is_quarantined: quarantined,
  };
}

function comparison(failures: { total: number; quarantined: number; unquarantined: number }): RunComparison {
  const tests = [
    ...Array.from({ length: failures.quarantined }, (_, i) => failed(`q${i}`, true)),
    ...Array.from({ length: failures.unquarantined }, (_, i) => failed(`u${i}`, false)),
  ];
  return {
    run: {
      id: 1,
      name: "n",
      source_id: 1,
      config_id: null,
      commit_sha: null,
      branch: null,
      is_completed: true,
      created_at: "2025-01-01T00:00:00.000000Z",
    },
    baseline: null,
    baseline_rule: "none",
    counts: { new_failures: tests.length, still_failing: 0, fixed: 0, new_tests: 2, gone_tests: 0, slower: 0 },
    failures,
    tests: { new_failures: tests, still_failing: [], fixed: [], new_tests: [], gone_tests: [], slower: [] },
  };
}

const runBody = () => api.writes()[0]?.body as { fields: unknown[]; links: unknown[] };

describe("CI metadata on the new run", () => {
  it("submit adds Commit, Branch and the build link in GitHub Actions", async () => {
    const context = testContext(new CapturedOutput(), { parser, cwd: dir, env: GITHUB_ENV });
    await submit(context, submitOptions(), []);
    expect(runBody().fields).toEqual([
      { type: 1, name: "Commit", value: SHA },
      { type: 1, name: "Branch", value: "main" },
    ]);
    expect(runBody().links).toEqual([
      { name: "GitHub Actions build", url: "https://github.com/acme/shop/actions/runs/555" },
    ]);
  });

  it("adds nothing with --no-ci-metadata, or outside CI", async () => {
    await submit(
      testContext(new CapturedOutput(), { parser, cwd: dir, env: GITHUB_ENV }),
      submitOptions({ ciMetadata: false }),
      [],
    );
    expect(runBody()).toMatchObject({ fields: [], links: [] });
    api.reset();
    await submit(testContext(new CapturedOutput(), { parser, cwd: dir, env: TOKEN }), submitOptions(), []);
    expect(runBody()).toMatchObject({ fields: [], links: [] });
  });

  it("keeps the user's own Commit field and build link; prints nothing about it without --debug", async () => {
    const resources = join(dir, "ci-resources.json");
    await writeFile(
      resources,
      JSON.stringify({
        fields: [{ type: "text", name: "commit", value: "abc\nmessage" }],
        links: [{ name: "Mine", url: "https://github.com/acme/shop/actions/runs/555" }],
      }),
    );
    const output = new CapturedOutput();
    const context = testContext(output, { parser, cwd: dir, env: GITHUB_ENV });
    await submit(context, submitOptions({ resources }), []);
    expect(runBody().fields).toEqual([
      { type: 2, name: "commit", value: "abc\nmessage" },
      { type: 1, name: "Branch", value: "main" },
    ]);
    expect(runBody().links).toEqual([{ name: "Mine", url: "https://github.com/acme/shop/actions/runs/555" }]);
    expect(output.stdout + output.stderr).not.toMatch(/CI metadata|GitHub Actions/);

    const debugOutput = new CapturedOutput();
    const logger = new Logger({
      ansi: false,
      debug: true,
      quiet: false,
      stdout: debugOutput.out,
      stderr: debugOutput.err,
    });
    await submit(testContext(debugOutput, { parser, cwd: dir, env: GITHUB_ENV, logger }), submitOptions(), []);
    expect(debugOutput.stderr).toContain("[debug] CI metadata: GitHub Actions; commit " + SHA);
  });

  it("create adds them too and still prints only the run id", async () => {
    const output = new CapturedOutput();
    await createRun(testContext(output, { cwd: dir, env: GITHUB_ENV }), {
      instance,
      projectId: "1",
      name: "n",
      source: "unit",
    });
    expect(output.stdout).toBe("1\n");
    expect(runBody().fields).toHaveLength(2);
    expect(runBody().links).toHaveLength(1);
    api.reset();
    await createRun(testContext(new CapturedOutput(), { cwd: dir, env: GITHUB_ENV }), {
      instance,
      projectId: "1",
      name: "n",
      source: "unit",
      ciMetadata: false,
    });
    expect(runBody()).toMatchObject({ fields: [], links: [] });
  });
});

describe("summary after the upload", () => {
  it("prints the run address and the comparison after submit", async () => {
    api.comparison = comparison({ total: 1, quarantined: 0, unquarantined: 1 });
    const output = new CapturedOutput();
    const code = await submit(testContext(output, { parser, cwd: dir }), submitOptions(), []);
    expect(code).toBe(0);
    expect(api.writes().at(-1)).toMatchObject({
      method: "GET",
      path: "/x/automation/runs/1/comparison?limit=10&categories=new_failures,fixed,slower",
    });
    expect(api.writes().at(-1)?.headers["idempotency-key"]).toBeUndefined();
    const after = output.stdout.slice(output.stdout.indexOf("Summary: 2 tests"));
    expect(after.split("\n").slice(1)).toEqual([
      `Run: ${instance}/automation/runs/1`,
      "Baseline: no baseline (no earlier completed run to compare with)",
      "Counts: new failures 1, still failing 0, fixed 0, new tests 2, gone tests 0, slower 0",
      "Failed tests: 1",
      "New failures:",
      "  suite › u0 — boom",
      "",
    ]);
  });

  it("says in one line why the summary is unavailable (404, network, nonsense) and keeps the exit code", async () => {
    const output = new CapturedOutput();
    expect(await submit(testContext(output, { parser, cwd: dir }), submitOptions(), failingChild)).toBe(1);
    expect(output.stdout).toContain(`Run: ${instance}/automation/runs/1\n`);
    expect(output.stdout).toContain(
      "Summary unavailable: Server response (404): Not found; the server does not offer run comparisons (an older Assay, or Testmo)\n",
    );

    api.reset();
    api.fault = (request) => (request.path.startsWith("/x/automation/") ? "drop" : undefined);
    const dropped = new CapturedOutput();
    const context = testContext(dropped, { parser, cwd: dir });
    expect(await submit(context, submitOptions(), failingChild)).toBe(1);
    expect(dropped.stdout).toMatch(/Summary unavailable: Connection error: .+\n/);
    // a bonus request: two retries at most, not the upload's budget
    expect(api.writes().filter((r) => r.method === "GET")).toHaveLength(3);

    api.reset();
    api.comparison = { counts: "nope" };
    const nonsense = new CapturedOutput();
    expect(await submit(testContext(nonsense, { parser, cwd: dir }), submitOptions(), [])).toBe(0);
    expect(nonsense.stdout).toContain("Summary unavailable: the server's answer is not a run comparison\n");
  });

  it("prints nothing and sends no request for it with --quiet", async () => {
    api.comparison = comparison({ total: 0, quarantined: 0, unquarantined: 0 });
    const output = new CapturedOutput();
    const logger = new Logger({ ansi: false, debug: false, quiet: true, stdout: output.out, stderr: output.err });
    await submit(testContext(output, { parser, cwd: dir, logger }), submitOptions(), []);
    expect(output.stdout).toBe("");
    expect(api.writes().some((r) => r.method === "GET")).toBe(false);
  });

  it("appends the Markdown summary to GITHUB_STEP_SUMMARY, keeping what other steps wrote", async () => {
    api.comparison = comparison({ total: 1, quarantined: 0, unquarantined: 1 });
    const file = join(dir, "step-summary.md");
    await writeFile(file, "# Earlier step\n");
    const env = { ...TOKEN, GITHUB_STEP_SUMMARY: file };
    await submit(testContext(new CapturedOutput(), { parser, cwd: dir, env }), submitOptions(), []);
    const markdown = await readFile(file, "utf8");
    expect(markdown).toMatch(
      /^# Earlier step\n### Assay: \[n \(run 1\)\]\(http:\/\/127\.0\.0\.1:\d+\/automation\/runs\/1\)\n/,
    );
    expect(markdown).toContain("| 1 | 0 | 0 | 2 | 0 | 0 | 1 |");
    expect(markdown).toContain("#### New failures\n\n- suite › u0 — boom\n");

    // also with --quiet: the job summary is not console output
    api.reset();
    api.comparison = comparison({ total: 0, quarantined: 0, unquarantined: 0 });
    const quiet = new CapturedOutput();
    const logger = new Logger({ ansi: false, debug: false, quiet: true, stdout: quiet.out, stderr: quiet.err });
    await submit(testContext(quiet, { parser, cwd: dir, env, logger }), submitOptions(), []);
    expect(quiet.stdout).toBe("");
    expect((await readFile(file, "utf8")).match(/### Assay/g)).toHaveLength(2);
  });

  it("writes why to the job summary when the comparison is unavailable; an unwritable file only warns", async () => {
    const file = join(dir, "step-unavailable.md");
    const env = { ...TOKEN, GITHUB_STEP_SUMMARY: file };
    await submit(testContext(new CapturedOutput(), { parser, cwd: dir, env }), submitOptions(), []);
    expect(await readFile(file, "utf8")).toContain("Summary unavailable: Server response \\(404\\)\\: Not found");

    const output = new CapturedOutput();
    const bad = { ...TOKEN, GITHUB_STEP_SUMMARY: join(dir, "no-such-dir", "summary.md") };
    expect(await submit(testContext(output, { parser, cwd: dir, env: bad }), submitOptions(), failingChild)).toBe(1);
    expect(output.stderr).toContain("Could not write the GitHub step summary: ENOENT");
  });

  it("prints the summary after run:complete", async () => {
    api.comparison = comparison({ total: 0, quarantined: 0, unquarantined: 0 });
    const output = new CapturedOutput();
    expect(await completeRun(testContext(output), { instance, runId: "7" })).toBe(0);
    expect(api.paths()).toEqual([
      "/automation/runs/7/complete",
      "/x/automation/runs/7/comparison?limit=10&categories=new_failures,fixed,slower",
    ]);
    expect(output.stdout).toContain(`Marked the test run as completed\nRun: ${instance}/automation/runs/7\n`);
  });
});

describe("--exit-code from-results", () => {
  const fromResults = (extra: Record<string, unknown> = {}) => submitOptions({ exitCode: "from-results", ...extra });

  it("exits 0 when every failed test is quarantined, even though the command failed", async () => {
    api.comparison = comparison({ total: 2, quarantined: 2, unquarantined: 0 });
    const output = new CapturedOutput();
    expect(await submit(testContext(output, { parser, cwd: dir }), fromResults(), failingChild)).toBe(0);
    expect(output.stdout).toContain("Exit code 0 (from results: all 2 failed tests are quarantined)");
    expect(output.stdout).toContain("  suite › q0 — boom [quarantined]");
  });

  it("fails with the command's code, or 1, when a failed test is not quarantined", async () => {
    api.comparison = comparison({ total: 2, quarantined: 1, unquarantined: 1 });
    expect(await submit(testContext(new CapturedOutput(), { parser, cwd: dir }), fromResults(), failingChild)).toBe(1);
    const output = new CapturedOutput();
    expect(await submit(testContext(output, { parser, cwd: dir }), fromResults(), [])).toBe(1);
    expect(output.stdout).toContain("Exit code 1 (from results: 1 failed test is not quarantined)");
  });

  it("keeps the command's code without failed tests (a crash without results still fails)", async () => {
    api.comparison = comparison({ total: 0, quarantined: 0, unquarantined: 0 });
    const crash = [process.execPath, "-e", "process.exit(5)"];
    expect(await submit(testContext(new CapturedOutput(), { parser, cwd: dir }), fromResults(), crash)).toBe(5);
    expect(await submit(testContext(new CapturedOutput(), { parser, cwd: dir }), fromResults(), [])).toBe(0);
  });

  it("falls back to the command's code, with a warning, when the comparison is unavailable", async () => {
    const output = new CapturedOutput();
    expect(await submit(testContext(output, { parser, cwd: dir }), fromResults(), failingChild)).toBe(1);
    expect(output.stderr).toContain(
      "--exit-code from-results: the run comparison is unavailable, so the exit code is the command's (1)",
    );
  });

  it("still fetches the comparison with --quiet, and prints only the warning", async () => {
    const output = new CapturedOutput();
    const logger = new Logger({ ansi: false, debug: false, quiet: true, stdout: output.out, stderr: output.err });
    await submit(testContext(output, { parser, cwd: dir, logger }), fromResults(), []);
    expect(api.writes().some((r) => r.method === "GET")).toBe(true);
    expect(output.stdout).toBe("");
    expect(output.stderr).toContain("--exit-code from-results: the run comparison is unavailable");
  });

  it("applies to run:complete (no command: 0 or 1)", async () => {
    api.comparison = comparison({ total: 1, quarantined: 0, unquarantined: 1 });
    expect(
      await completeRun(testContext(new CapturedOutput()), { instance, runId: "3", exitCode: "from-results" }),
    ).toBe(1);
    api.comparison = comparison({ total: 1, quarantined: 1, unquarantined: 0 });
    expect(
      await completeRun(testContext(new CapturedOutput()), { instance, runId: "3", exitCode: "from-results" }),
    ).toBe(0);
    expect(await completeRun(testContext(new CapturedOutput()), { instance, runId: "3" })).toBe(0);
  });

  it("refuses other values before the command runs or anything is sent", async () => {
    const marker = join(dir, "child-ran");
    const child = [process.execPath, "-e", `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`];
    await expect(
      submit(testContext(new CapturedOutput(), { parser, cwd: dir }), submitOptions({ exitCode: "results" }), child),
    ).rejects.toThrow('Invalid --exit-code value "results": allowed values are child, from-results');
    await expect(readFile(marker)).rejects.toThrow();
    await expect(
      completeRun(testContext(new CapturedOutput()), { instance, runId: "3", exitCode: "x" }),
    ).rejects.toThrow("allowed values are child, from-results");
    expect(api.writes()).toHaveLength(0);
  });
});
