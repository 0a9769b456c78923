import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DETECTION_WINDOW_BYTES, detectJUnitFile, hasJUnitExtension, looksLikeJUnit } from "./detect.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe("format detection (cli.md §5.2)", () => {
  it("accepts Testmo's extensions, case-insensitively, and nothing else", () => {
    for (const name of ["a.xml", "a.XML", "a.junit", "a.log", "a.report", "a.reports", "a.result", "a.results"]) {
      expect(hasJUnitExtension(name)).toBe(true);
    }
    for (const name of ["a.json", "a.xml.gz", "a", "xml"]) expect(hasJUnitExtension(name)).toBe(false);
  });

  it("needs the case-sensitive substring <testsuite, even inside a comment", () => {
    expect(looksLikeJUnit("<results><!-- <testsuite --></results>")).toBe(true);
    expect(looksLikeJUnit("<testsuites>")).toBe(true);
    expect(looksLikeJUnit("<TestSuite>")).toBe(false);
  });

  it("detects fixtures, including UTF-16 ones that Testmo skips (W14)", async () => {
    for (const name of ["jest-junit.xml", "phpunit.xml", "utf16le-bom.xml", "utf16be-bom.xml"]) {
      expect((await detectJUnitFile(fixture(name))).isJUnit).toBe(true);
    }
  });

  it("skips other extensions and files without <testsuite in their first 64 KiB", async () => {
    const dir = await mkdtemp(join(tmpdir(), "assay-detect-"));
    const json = join(dir, "report.json");
    const build = join(dir, "build.log");
    const late = join(dir, "late.log");
    await writeFile(json, "<testsuite/>");
    await writeFile(build, "compiling...\nall good\n");
    await writeFile(late, `${"x".repeat(DETECTION_WINDOW_BYTES)}<testsuite>`);
    expect(await detectJUnitFile(json)).toEqual({ isJUnit: false, reason: "extension" });
    expect(await detectJUnitFile(build)).toMatchObject({ isJUnit: false, reason: "content" });
    expect(await detectJUnitFile(late)).toMatchObject({ isJUnit: false, reason: "content" });
  });

  it("reports a missing file as an error rather than a skip", async () => {
    await expect(detectJUnitFile(fixture("missing.xml"))).rejects.toThrow(/ENOENT/);
  });
});
