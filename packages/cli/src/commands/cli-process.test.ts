import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cliMain, junitXml, runCli } from "../test-support/e2e.js";
import { FakeApi } from "../test-support/fake-api.js";

/** The built `assay` process against the in-process fake server: exit codes and output streams. */
describe.skipIf(!existsSync(cliMain))("assay process", () => {
  const api = new FakeApi();
  let instance = "";
  let dir = "";

  beforeAll(async () => {
    instance = await api.start();
    dir = await mkdtemp(join(tmpdir(), "assay-process-"));
    await writeFile(join(dir, "r.xml"), junitXml({ passed: 3, failed: 1, skipped: 1 }));
  });
  afterAll(() => api.stop());
  beforeEach(() => api.reset());

  const submitArgs = () => [
    "automation:run:submit",
    "--instance",
    instance,
    "--project-id",
    "1",
    "--name",
    "n",
    "--source",
    "src",
    "--results",
    "r.xml",
  ];

  it("prints the help to stderr and exits 1 without arguments", async () => {
    const result = await runCli([], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Usage: assay");
  });

  it("rejects unknown commands and missing options as commander does", async () => {
    expect((await runCli(["nope"], { cwd: dir })).stderr).toContain("error: unknown command 'nope'");
    const missing = await runCli(["automation:run:create", "--instance", instance], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: required option '--project-id <id>' not specified");
  });

  it("refuses an --exit-code other than child or from-results as a usage error naming them", async () => {
    const result = await runCli([...submitArgs(), "--exit-code", "results"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "error: option '--exit-code <mode>' argument 'results' is invalid. Allowed choices are child, from-results.",
    );
    expect(api.requests).toHaveLength(0);
    const complete = await runCli(
      ["automation:run:complete", "--instance", instance, "--run-id", "1", "--exit-code", "never"],
      { cwd: dir },
    );
    expect(complete.code).toBe(1);
    expect(complete.stderr).toContain("Allowed choices are child, from-results.");
  });

  it("documents --exit-code, its rule and --no-ci-metadata in the help", async () => {
    const help = (await runCli(["automation:run:submit", "--help"], { cwd: dir })).stdout.replace(/\s+/g, " ");
    expect(help).toContain("--exit-code <mode>");
    expect(help).toContain('(choices: "child", "from-results", default: "child")');
    expect(help).toContain("--no-ci-metadata");
    expect(help).toContain("failed tests, all of them quarantined: 0, even when the command failed");
    expect((await runCli(["automation:run:create", "--help"], { cwd: dir })).stdout).toContain("--no-ci-metadata");
    expect((await runCli(["automation:run:complete", "--help"], { cwd: dir })).stdout).toContain("--exit-code <mode>");
  });

  it("keeps stdout to the run id alone for run:create, even with --debug", async () => {
    const result = await runCli(
      [
        "automation:run:create",
        "--instance",
        instance,
        "--project-id",
        "1",
        "--name",
        "n",
        "--source",
        "src",
        "--debug",
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("1\n");
    expect(result.stderr).toContain("Request: POST");
    expect(result.stderr).not.toContain("assay-e2e-admin-token");
  });

  it("exits 128 + signal number when the child is killed by a signal", async () => {
    const result = await runCli([...submitArgs(), "--", "sh", "-c", "kill -9 $$"], { cwd: dir });
    expect(result.code).toBe(137);
    expect(api.appendedTests()).toHaveLength(5);
  });

  it("prints only the child's output with --quiet", async () => {
    const result = await runCli([...submitArgs(), "--quiet", "--", "echo", "from child"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("from child\n");
    expect(result.stderr).toBe("");
  });

  it("keeps going quietly when its stdout is closed early (`assay … | head -1`)", async () => {
    const child = spawn(
      process.execPath,
      [cliMain, ...submitArgs(), "--", "sh", "-c", "i=0; while [ $i -lt 5000 ]; do echo line $i; i=$((i+1)); done"],
      { cwd: dir, env: { ...process.env, CI: "true", ASSAY_TOKEN: "t" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout.once("data", () => child.stdout.destroy());
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(child, "close")) as [number];
    expect(stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
    expect(code).toBe(0);
    expect(api.appendedTests()).toHaveLength(5);
  });
});
