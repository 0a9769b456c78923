import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CapturedOutput, fakeParser, parsedTest, testContext } from "../test-support/context.js";
import { FakeApi } from "../test-support/fake-api.js";
import { completeRun } from "./complete.js";
import { createRun } from "./create.js";
import type { CliError } from "./errors.js";
import { addArtifact, addField, addLink } from "./resources.js";
import { submit } from "./submit.js";
import { submitThread } from "./submit-thread.js";

const api = new FakeApi();
let instance = "";
let dir = "";

beforeAll(async () => {
  instance = await api.start();
  dir = await mkdtemp(join(tmpdir(), "assay-cli-"));
  await writeFile(join(dir, "a.xml"), "");
  await writeFile(join(dir, "b.xml"), "");
});
afterAll(() => api.stop());
beforeEach(() => api.reset());

const parser = fakeParser({
  "a.xml": [parsedTest("one", "passed", 1000), parsedTest("two", "failure", 2000)],
  "b.xml": Array.from({ length: 5 }, (_, i) => parsedTest(`b${i}`, "skipped", 10)),
});

const baseSubmit = () => ({
  instance: `${instance}/some/path?x=1`,
  projectId: "1",
  name: " Nightly ",
  source: "backend",
  results: ["*.xml"],
  batchSize: "3",
});

describe("automation:run:submit", () => {
  it("creates the run and thread, streams batches and completes the run", async () => {
    const output = new CapturedOutput();
    const context = testContext(output, { parser, cwd: dir });
    const code = await submit(context, { ...baseSubmit(), tags: ["a", " b "] }, []);
    expect(code).toBe(0);
    expect(api.paths()).toEqual([
      "/projects/1/automation/runs",
      "/automation/runs/1/threads",
      "/automation/runs/threads/2/append",
      "/automation/runs/threads/2/append",
      "/automation/runs/threads/2/append",
      "/automation/runs/1/complete",
      // the run comparison for the closing summary (404 here: printed as unavailable)
      "/x/automation/runs/1/comparison?limit=10&categories=new_failures,fixed,slower",
    ]);
    expect(api.writes()[0]?.body).toEqual({
      name: "Nightly",
      source: "backend",
      fields: [],
      links: [],
      artifacts: [],
      tags: ["a", "b"],
    });
    expect(api.writes()[1]?.body).toEqual({ fields: [], artifacts: [], elapsed_computed: 3050 });
    expect(api.appendedTests()).toHaveLength(7);
    expect(api.writes()[5]?.body).toEqual({ measure_elapsed: false });
    expect(output.stdout).toContain("Found 2 result files with a total of 7 tests");
    expect(output.stdout).toContain("Created new test automation run (ID: 1)");
    expect(output.stdout).toContain("Summary: 7 tests (1 passed, 1 failure, 5 skipped) in run 1");
  });

  it("checks the token before running the child command (W9)", async () => {
    const output = new CapturedOutput();
    const context = testContext(output, { parser, cwd: dir, env: {} });
    const marker = join(dir, "child-ran");
    await expect(
      submit(context, baseSubmit(), [
        process.execPath,
        "-e",
        `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`,
      ]),
    ).rejects.toThrow("Missing API token: set the ASSAY_TOKEN (or TESTMO_TOKEN) environment variable");
    await expect(readFile(marker)).rejects.toThrow();
  });

  it("falls back to TESTMO_TOKEN", async () => {
    const context = testContext(new CapturedOutput(), { parser, cwd: dir, env: { TESTMO_TOKEN: " t " } });
    await submit(context, baseSubmit(), []);
    expect(api.writes()[0]?.headers.authorization).toBe("Bearer t");
  });

  it("passes the child's exit code through and records its output on the thread", async () => {
    const context = testContext(new CapturedOutput(), { parser, cwd: dir });
    const code = await submit(context, { ...baseSubmit(), execSuppress: true }, [
      process.execPath,
      "-e",
      "console.log('hello'); process.exit(4)",
    ]);
    expect(code).toBe(4);
    const thread = api.writes()[1]?.body as { fields: { name: string; type: number; value: string }[] };
    expect(thread.fields[0]?.name).toBe("Output");
    expect(thread.fields[0]?.type).toBe(4);
    expect(thread.fields[0]?.value).toMatch(/^Executing: .* -e console.log\('hello'\); process.exit\(4\)\n\nhello\n\n/);
  });

  it("stops without sending anything with --exec-stop-error", async () => {
    const context = testContext(new CapturedOutput(), { parser, cwd: dir });
    const code = await submit(context, { ...baseSubmit(), execSuppress: true, execStopError: true }, [
      process.execPath,
      "-e",
      "process.exit(2)",
    ]);
    expect(code).toBe(2);
    expect(api.writes()).toHaveLength(0);
  });

  it("prints a summary and sends nothing with --dry-run, even without a token", async () => {
    const output = new CapturedOutput();
    const context = testContext(output, { parser, cwd: dir, env: {} });
    expect(await submit(context, { ...baseSubmit(), dryRun: true }, [])).toBe(0);
    expect(api.writes()).toHaveLength(0);
    expect(output.stdout).toContain("Tests: 7 tests (1 passed, 1 failure, 5 skipped)");
  });

  it("fails before any request when a file does not parse, unless --ignore-parse-error", async () => {
    const broken = fakeParser({ "a.xml": [parsedTest("x")], "b.xml": new Error("Unclosed tag testcase:3:1") });
    const output = new CapturedOutput();
    const context = testContext(output, { parser: broken, cwd: dir });
    await expect(submit(context, baseSubmit(), [])).rejects.toThrow(
      "Failed to parse file: b.xml: Unclosed tag testcase:3:1",
    );
    expect(api.writes()).toHaveLength(0);

    await submit(
      testContext(new CapturedOutput(), { parser: broken, cwd: dir }),
      {
        ...baseSubmit(),
        ignoreParseError: true,
      },
      [],
    );
    expect(api.appendedTests()).toHaveLength(1);
  });

  it("applies a CommonJS rewriter to every test", async () => {
    const rewriter = join(dir, "rewriter.cjs");
    await writeFile(rewriter, "exports.rewriteTest = (test) => { test.status = 'blocked'; };");
    await submit(
      testContext(new CapturedOutput(), { parser, cwd: dir }),
      {
        ...baseSubmit(),
        resultsRewriter: "rewriter.cjs",
      },
      [],
    );
    expect(new Set(api.appendedTests().map((t) => (t as { status: string }).status))).toEqual(new Set(["blocked"]));
  });

  it("runs the rewriter before the first request: a failing rewriter sends nothing", async () => {
    await writeFile(
      join(dir, "picky.cjs"),
      "exports.rewriteTest = (test) => { if (test.name === 'b3') throw new Error('cannot rewrite b3'); };",
    );
    for (const ignoreParseError of [false, true]) {
      const run = submit(
        testContext(new CapturedOutput(), { parser, cwd: dir }),
        { ...baseSubmit(), resultsRewriter: "picky.cjs", ignoreParseError },
        [],
      );
      await expect(run).rejects.toThrow("Rewriter script returned an error: cannot rewrite b3");
      expect(api.writes()).toHaveLength(0);
    }
  });

  it("validates options with Testmo's messages", async () => {
    const context = testContext(new CapturedOutput(), { parser, cwd: dir });
    const cases: [Record<string, unknown>, string][] = [
      [{ instance: "" }, "The server address (--instance) cannot be empty"],
      [{ instance: "ftp://x" }, "The server address (--instance) must use http or https"],
      [{ instance: "nope" }, "The server address (--instance) must be a valid URL"],
      [{ projectId: "0" }, "Project ID needs to be a positive number"],
      [{ name: "  " }, "Name cannot be empty"],
      [{ source: "my_source" }, "Invalid source name: needs to be a single word (with dashes allowed)"],
      [{ tags: ["a b"] }, "Invalid tag name: only letters, numbers, underscore and dash allowed"],
      [{ configId: "x" }, "Config ID needs to be a positive number"],
      [{ milestoneId: "-1" }, "Milestone ID needs to be a positive number"],
      [{ proxy: "socks5://p:1" }, "The proxy address must be a valid HTTP/HTTPS address"],
      [{ resources: "missing.json" }, "Resource file does not exist: missing.json"],
    ];
    for (const [override, message] of cases) {
      await expect(submit(context, { ...baseSubmit(), ...override }, [])).rejects.toThrow(message);
    }
    expect(api.writes()).toHaveLength(0);
  });
});

describe("parallel flow commands", () => {
  it("create prints only the id; submit-thread appends run resources, creates and completes a thread", async () => {
    const resources = join(dir, "res.json");
    await writeFile(
      resources,
      JSON.stringify({
        fields: [{ type: "string", name: "Version", value: "1.2" }],
        links: [{ name: "CI", url: "https://ci" }],
      }),
    );
    const createOutput = new CapturedOutput();
    await createRun(testContext(createOutput, { cwd: dir }), {
      instance,
      projectId: "1",
      name: "n",
      source: "s1",
      resources,
    });
    expect(createOutput.stdout).toBe("1\n");

    const output = new CapturedOutput();
    await submitThread(
      testContext(output, { parser, cwd: dir }),
      {
        instance,
        runId: "1",
        results: ["a.xml"],
        runResources: resources,
        threadResources: resources,
      },
      [],
    );
    expect(api.paths()).toEqual([
      "/projects/1/automation/runs",
      "/automation/runs/1/append",
      "/automation/runs/1/threads",
      "/automation/runs/threads/2/append",
      "/automation/runs/threads/2/complete",
    ]);
    expect(api.writes()[2]?.body).toEqual({
      fields: [{ type: 1, name: "Version", value: "1.2" }],
      artifacts: [],
      elapsed_computed: 3000,
    });
    expect(output.stdout.indexOf("for the thread")).toBeLessThan(output.stdout.indexOf("for the run"));

    await completeRun(testContext(new CapturedOutput()), { instance, runId: "1", measureElapsed: false });
    // the complete call, then the GET of the run comparison for the summary
    expect(api.writes().at(-2)?.body).toEqual({ measure_elapsed: false });
  });
});

describe("automation:resources:add-*", () => {
  it("writes Testmo's compact resources file and validates it on the next call", async () => {
    const file = join(dir, "resources.json");
    const context = testContext(new CapturedOutput(), { cwd: dir });
    await addField(context, { type: "string", name: "Browser", value: "firefox", resources: file });
    await addLink(context, { name: "Build", url: "http://localhost:8080/b/1", note: "n", resources: file });
    const artifactFile = join(dir, "shot.png");
    await writeFile(artifactFile, "12345");
    await addArtifact(context, { name: "Shot", url: "https://x/s.png", file: artifactFile, resources: file });
    expect(await readFile(file, "utf8")).toBe(
      '{"fields":[{"type":"string","name":"Browser","value":"firefox"}],' +
        '"links":[{"name":"Build","url":"http://localhost:8080/b/1","note":"n"}],' +
        '"artifacts":[{"name":"Shot","url":"https://x/s.png","size":5,"mimeType":"image/png"}]}',
    );

    await expect(addField(context, { type: "number", name: "x", resources: file })).rejects.toThrow(
      "Type must be either: string, url, text, console, html",
    );
    await expect(addField(context, { type: "url", name: "x", value: "nope", resources: file })).rejects.toThrow(
      "URL is not a valid link",
    );
    await expect(addField(context, { type: "string", name: "x", resources: file })).rejects.toThrow(
      "Field value is missing",
    );
    await expect(addArtifact(context, { name: "x", url: "https://x", file: "nope", resources: file })).rejects.toThrow(
      "Artifact file does not exist: nope",
    );
    await writeFile(file, '{"links":[{"name":"x","url":"mailto:a"}]}');
    await expect(addLink(context, { name: "y", url: "https://y", resources: file })).rejects.toThrow(
      "Link URL is not a valid URL",
    );
  });
});

describe("access checks before the child command runs", () => {
  const markerChild = (marker: string) => [
    process.execPath,
    "-e",
    `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`,
  ];

  it.each([
    [
      "a token the server refuses",
      "/user",
      { status: 401, body: { message: "Unauthenticated." } },
      "The server at http://127.0.0.1",
      "Please verify your API token (ASSAY_TOKEN or TESTMO_TOKEN)",
    ],
    [
      "a project that does not exist",
      "/projects/1",
      { status: 404, body: { message: "Project 1 does not exist." } },
      "Project 1 does not exist on the server (check --project-id); nothing was run or sent",
      "Server response (404): Project 1 does not exist.",
    ],
    [
      "a project the user may not see",
      "/projects/1",
      { status: 403, body: { message: "You do not have access to project 1." } },
      "The token's user has no access to project 1; nothing was run or sent",
      "Server response (403): You do not have access to project 1.",
    ],
  ])("submit fails at once on %s: no child, nothing written", async (_label, path, answer, message, detail) => {
    api.fault = (request) => (request.method === "GET" && request.path === path ? answer : undefined);
    const marker = join(dir, `marker-${Math.random()}`);
    const error = await submit(
      testContext(new CapturedOutput(), { parser, cwd: dir }),
      baseSubmit(),
      markerChild(marker),
    )
      .then(() => undefined)
      .catch((e: unknown) => e as CliError);
    expect(error?.message).toContain(message);
    expect(error?.details).toContain(detail);
    await expect(readFile(marker)).rejects.toThrow();
    expect(api.writes()).toHaveLength(0);
    expect(api.requests.filter((r) => r.faulted)).toHaveLength(1); // a 4xx is not retried
  });

  it("submit fails at once when the token's role may not upload (Assay's permissions read)", async () => {
    api.allowed = ["view"];
    const marker = join(dir, `marker-${Math.random()}`);
    const error = await submit(
      testContext(new CapturedOutput(), { parser, cwd: dir }),
      baseSubmit(),
      markerChild(marker),
    )
      .then(() => undefined)
      .catch((e: unknown) => e as CliError);
    expect(error?.message).toBe(
      "The token's role in project 1 does not allow uploading automation results; nothing was run or sent",
    );
    expect(error?.details).toContain("The role allows: view.");
    await expect(readFile(marker)).rejects.toThrow();
    expect(api.writes()).toHaveLength(0);
  });

  it("submit goes on without the role check against a server that lacks it (Testmo: 404)", async () => {
    api.allowed = undefined;
    const code = await submit(testContext(new CapturedOutput(), { parser, cwd: dir }), baseSubmit(), [
      process.execPath,
      "-e",
      "",
    ]);
    expect(code).toBe(0);
    expect(api.paths()[0]).toBe("/projects/1/automation/runs");
  });

  it("submit-thread checks the run: unknown, or already completed, fails before the child runs", async () => {
    const options = { instance, runId: "7", results: ["*.xml"] };
    const marker = join(dir, `marker-${Math.random()}`);
    api.completedRuns.add(7);
    await expect(
      submitThread(testContext(new CapturedOutput(), { parser, cwd: dir }), options, markerChild(marker)),
    ).rejects.toThrow("Run 7 is already completed: no thread can be added to it");
    api.fault = (request) =>
      request.path === "/automation/runs/7" ? { status: 404, body: { message: "Run 7 does not exist." } } : undefined;
    await expect(
      submitThread(testContext(new CapturedOutput(), { parser, cwd: dir }), options, markerChild(marker)),
    ).rejects.toThrow("Run 7 does not exist on the server (check --run-id); nothing was run or sent");
    await expect(readFile(marker)).rejects.toThrow();
    expect(api.writes()).toHaveLength(0);
    expect(api.paths()).toEqual([]);
    expect(api.requests.map((r) => r.path)).toEqual(["/user", "/automation/runs/7", "/user", "/automation/runs/7"]);
  });

  it("checks token, project and role with reads before anything else when all is well", async () => {
    await submit(testContext(new CapturedOutput(), { parser, cwd: dir }), baseSubmit(), []);
    expect(api.requests.slice(0, 4).map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /user",
      "GET /projects/1",
      "GET /x/projects/1/permissions",
      "POST /projects/1/automation/runs",
    ]);
  });
});
