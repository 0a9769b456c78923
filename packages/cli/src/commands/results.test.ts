import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseResources } from "../resources/file.js";
import { CapturedOutput, fakeParser, parsedTest, testContext } from "../test-support/context.js";
import type { CliError } from "./errors.js";
import { resolveResultFiles, scanResultFiles } from "./results.js";
import { loadRewriter } from "./rewriter.js";
import { assertTestsFound, collectResults } from "./run-shared.js";
import { instanceOrigin, positiveId } from "./validate.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "assay-results-"));
  await mkdir(join(dir, "b/deep"), { recursive: true });
  for (const file of ["z.xml", "a.xml", "b/deep/c.xml", "b/m.xml", ".hidden.xml", "notes.txt"]) {
    await writeFile(join(dir, file), "");
  }
});

describe("resolveResultFiles", () => {
  it("expands every glob argument, sorted, keeps literals, drops duplicates and dot-files", async () => {
    expect(await resolveResultFiles(["*.xml", "b/**/*.xml", "a.xml", "missing.xml"], dir)).toEqual([
      "a.xml",
      "z.xml",
      "b/deep/c.xml",
      "b/m.xml",
      "missing.xml",
    ]);
  });
});

describe("scanResultFiles", () => {
  it("fails on a missing file, or skips it with --ignore-parse-error", async () => {
    const context = testContext(new CapturedOutput(), { cwd: dir });
    const options = { cwd: dir, ignoreParseError: false, logger: context.logger };
    await expect(scanResultFiles(["missing.xml"], context.parser, options)).rejects.toThrow(
      `Result file not found: missing.xml (looked for ${join(dir, "missing.xml")}); check the --results path`,
    );
    await expect(scanResultFiles(["b"], context.parser, options)).rejects.toThrow(
      "b is a directory, not a result file: pass --results 'b/**/*.xml' instead",
    );
    const scan = await scanResultFiles(["missing.xml"], context.parser, { ...options, ignoreParseError: true });
    expect(scan.files).toEqual([]);
    expect(scan.warnings).toHaveLength(1);
  });
});

describe("what the normal output says about the result files", () => {
  it("names a pattern that matched nothing and every skipped file, without --debug or --dry-run", async () => {
    const output = new CapturedOutput();
    const context = testContext(output, { cwd: dir, parser: fakeParser({ "a.xml": [parsedTest("x")] }) });
    const scan = await collectResults(context, { results: ["nope/**/*.xml", "a.xml", "z.xml", "notes.txt"] });
    expect(scan.testCount).toBe(1);
    expect(output.stderr).toContain(`Warning: --results 'nope/**/*.xml' matched no file (in ${dir})\n`);
    expect(output.stderr).toContain("Skipped z.xml: not JUnit XML\n");
    expect(output.stderr).toContain("Skipped notes.txt: not JUnit XML\n");
  });

  it("fails when no test was found, keeping a failed child's code, unless --allow-empty", async () => {
    const context = testContext(new CapturedOutput(), { cwd: dir });
    const empty = await collectResults(context, { results: ["nope/*.xml"] });
    expect(() => assertTestsFound(empty, false, 0)).toThrow(
      "No result file was found: nothing was sent. Check --results (or pass --allow-empty to submit an empty run anyway)",
    );
    const withChildCode = (() => {
      try {
        assertTestsFound(empty, false, 3);
      } catch (error) {
        return (error as CliError).exitCode;
      }
    })();
    expect(withChildCode).toBe(3);
    expect(() => assertTestsFound(empty, true, 0)).not.toThrow();
    const noTests = { ...empty, files: ["a.xml"] };
    expect(() => assertTestsFound(noTests, false, 0)).toThrow("The result files hold no test: nothing was sent");
  });
});

describe("loadRewriter", () => {
  it("reports Testmo's messages", async () => {
    await writeFile(join(dir, "none.cjs"), "exports.other = 1;");
    await writeFile(join(dir, "throws.cjs"), "exports.rewriteTest = () => { throw new Error('bad test'); };");
    expect(() => loadRewriter("nope.cjs", dir)).toThrow("Rewriter script not found: nope.cjs");
    expect(() => loadRewriter("none.cjs", dir)).toThrow(
      'Rewriter script returned an error: Rewriter function "rewriteTest" not found',
    );
    const rewrite = loadRewriter("throws.cjs", dir);
    expect(() => rewrite(parsedTest("x"))).toThrow("Rewriter script returned an error: bad test");
  });
});

describe("validation", () => {
  it("reduces the instance to its origin and accepts http and localhost", () => {
    expect(instanceOrigin(" https://user:pw@assay.example.com:8443/path?q=1 ")).toBe("https://assay.example.com:8443");
    expect(instanceOrigin("http://localhost:8080")).toBe("http://localhost:8080");
  });

  it("accepts ids as Testmo does", () => {
    expect(positiveId("+5", "m")).toBe(5);
    expect(positiveId("007", "m")).toBe(7);
    expect(() => positiveId("1.5", "m")).toThrow("m");
  });
});

describe("parseResources", () => {
  it("validates entries with Testmo's messages", () => {
    expect(() => parseResources('{"fields":[{"name":"x","value":"y"}]}')).toThrow("Missing field type or type empty");
    expect(() => parseResources('{"fields":[{"type":"int","name":"x","value":"y"}]}')).toThrow(
      "Field type is not a valid type",
    );
    expect(() => parseResources('{"fields":[{"type":"string","name":"x"}]}')).toThrow("Missing field value");
    expect(() => parseResources('{"artifacts":[{"name":"x","url":"https://a","mimeType":"png"}]}')).toThrow(
      "Artifact mime type is not a valid mime type",
    );
    expect(() => parseResources('{"artifacts":[{"name":"x","url":"https://a","size":1.5}]}')).toThrow(
      "Artifact size is not a valid number",
    );
    expect(() => parseResources("{")).toThrow();
    expect(parseResources('{"fields":"nope","links":[{"name":"a","url":"ftp://h/x","note":""}]}')).toEqual({
      fields: [],
      links: [{ name: "a", url: "ftp://h/x" }],
      artifacts: [],
    });
  });
});
