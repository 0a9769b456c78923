import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { JUnitParseError } from "./errors.js";
import { parseJUnitFile } from "./parse.js";
import type { JUnitTest } from "./types.js";
import { hashTestKey, toWireTest } from "./wire.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function parseFixture(name: string) {
  const parse = parseJUnitFile(fixture(name), { fileName: name });
  const tests: JUnitTest[] = [];
  for await (const test of parse) tests.push(test);
  return { tests, summary: parse.summary };
}

const statuses = (tests: JUnitTest[]) => tests.map((t) => t.status);
const fieldNames = (test: JUnitTest | undefined) => test!.fields.map((f) => f.name);

describe("real-world JUnit dialects", () => {
  it("Jest (jest-junit)", async () => {
    const { tests, summary } = await parseFixture("jest-junit.xml");
    expect(tests).toHaveLength(4);
    expect(statuses(tests)).toEqual(["passed", "failure", "skipped", "passed"]);
    expect(tests[0]!.key).toBe("Calculator adds two numbers.Calculator adds two numbers");
    expect(tests[1]!.fields[0]).toMatchObject({ name: "Failure", type: "console", isHighlight: true, meta: {} });
    expect(tests[1]!.fields[0]!.value).toMatch(/^Error: expect\(received\)\.toThrow\(\)\n\nReceived/);
    expect(tests[2]!.fields).toEqual([]);
    expect(tests[3]!.fields).toEqual([
      { source: "system-out", type: "console", name: "Output", value: "retrying after 100ms", isHighlight: false },
    ]);
    expect(summary).toMatchObject({ testCount: 4, elapsed: 1_482_000, warnings: [], complete: true });
  });

  it("pytest", async () => {
    const { tests, summary } = await parseFixture("pytest.xml");
    expect(tests.map((t) => t.key)).toEqual([
      "tests.test_math.test_add",
      "tests.test_math.test_divide",
      "tests.test_math.test_later",
      "tests.test_db.test_connect",
      "tests.test_math.test_param[1-2-3]",
    ]);
    expect(statuses(tests)).toEqual(["passed", "failure", "skipped", "error", "passed"]);
    expect(tests[1]!.fields[0]!.value).toContain(">       assert divide(1, 0) == 0");
    expect(tests[2]!.fields[0]!.meta).toEqual({ message: "not implemented yet", type: "pytest.skip" });
    expect(tests[3]!.fields[0]!.meta).toEqual({ message: `failed on setup with "fixture 'db' not found"` });
    expect(tests[4]!.elapsed).toBe(500_000);
    expect(tests[4]!.fields.map((f) => [f.name, f.type])).toEqual([
      ["Output", "console"],
      ["Errors", "console"],
      ["issue", "string"],
      ["report", "url"],
    ]);
    expect(summary.elapsed).toBe(734_000);
  });

  it("JUnit 5 / Maven Surefire, with flaky and rerun results", async () => {
    const { tests, summary } = await parseFixture("surefire-junit5.xml");
    expect(tests).toHaveLength(5);
    expect(statuses(tests)).toEqual(["passed", "passed", "failure", "skipped", "passed"]);
    expect(tests[1]!.fields).toEqual([
      {
        source: "flakyFailure",
        type: "console",
        name: "Flaky failure",
        value:
          "org.opentest4j.AssertionFailedError: expected: <10> but was: <9>\n\tat com.example.CartTest.appliesDiscount(CartTest.java:31)",
        isHighlight: false,
        meta: { message: "expected: <10> but was: <9>", type: "org.opentest4j.AssertionFailedError" },
      },
    ]);
    expect(fieldNames(tests[2])).toEqual(["Failure", "Rerun failure", "Output"]);
    expect(tests[2]!.fields[2]!.value).toBe("attempt 1 of 2");
    const spec = toWireTest(tests[4]!);
    expect(spec.key).toBe(hashTestKey("com.a.Foo.passes"));
    expect(spec.key.startsWith("4741784a") && spec.key.endsWith("532394")).toBe(true);
    expect(summary.elapsed).toBe(1_254_000);
  });

  it("Go (go-junit-report)", async () => {
    const { tests, summary } = await parseFixture("go-junit-report.xml");
    expect(tests.map((t) => t.name)).toEqual(["TestAdd", "TestTotal/empty_cart", "TestTotal", "TestNetwork"]);
    expect(statuses(tests)).toEqual(["passed", "failure", "failure", "skipped"]);
    expect(tests[0]!.folder).toBe("github.com/acme/shop/cart");
    expect(tests[1]!.fields[0]).toMatchObject({ value: "cart_test.go:20: got 1, want 0", meta: { message: "Failed" } });
    expect(tests[2]!.fields[0]).toMatchObject({ value: "Failed", meta: {} });
    expect(tests[3]!.fields[0]!.value).toBe("cart_test.go:31: needs network");
    expect(summary.elapsed).toBe(12_000); // descends testsuites > single testsuite
  });

  it("Playwright", async () => {
    const { tests, summary } = await parseFixture("playwright.xml");
    expect(statuses(tests)).toEqual(["passed", "failure", "skipped"]);
    expect(tests[1]!.key).toBe("login.spec.ts.login › rejects a bad password");
    expect(tests[1]!.attachments.map((a) => a.value)).toEqual([
      "test-results/login-rejects-a-bad-password-chromium/test-failed-1.png",
      "test-results/login-rejects-a-bad-password-chromium/video.webm",
    ]);
    expect(fieldNames(tests[1])).toEqual(["Failure"]); // the output held only markers
    const wire = toWireTest(tests[1]!);
    expect(wire.fields!.map((f) => [f.type, f.name])).toEqual([
      [1, "attachment"],
      [1, "attachment"],
      [4, "Failure"],
    ]);
    expect(tests[0]!.fields).toMatchObject([{ name: "annotation", type: "string" }]);
    expect(summary.elapsed).toBe(6_804_000);
  });

  it("Cypress (mocha-junit-reporter)", async () => {
    const { tests, summary } = await parseFixture("cypress-mocha.xml");
    expect(tests.map((t) => t.key)).toEqual([
      "adds an item.todo adds an item",
      "removes an item.todo removes an item",
      "filters & sorts.todo filters & sorts",
    ]);
    expect(statuses(tests)).toEqual(["passed", "failure", "passed"]);
    expect(tests[1]!.fields[0]!.meta).toMatchObject({ type: "AssertionError" });
    expect(summary.elapsed).toBe(3_100_000);
  });

  it("PHPUnit, nested suites with file, line and assertions, in document order", async () => {
    const { tests, summary } = await parseFixture("phpunit.xml");
    expect(tests.map((t) => t.name)).toEqual([
      "testAdd",
      "testTotals with data set #0",
      'testTotals with data set "empty"',
      "testRemove",
    ]);
    expect(tests[0]).toEqual({
      key: "Tests.Unit.CartTest.testAdd",
      name: "testAdd",
      status: "passed",
      folder: "Tests.Unit.CartTest",
      file: "/app/tests/Unit/CartTest.php",
      line: 12,
      elapsed: 1203,
      assertions: 2,
      attachments: [],
      fields: [],
      steps: [],
    });
    expect(tests[3]!.fields[0]!.meta).toEqual({ type: "PHPUnit\\Framework\\ExpectationFailedException" });
    expect(summary.elapsed).toBe(20_512);
  });

  it("NUnit converted to JUnit", async () => {
    const { tests, summary } = await parseFixture("nunit-converted.xml");
    expect(statuses(tests)).toEqual(["passed", "failure", "skipped"]);
    expect(tests[0]!.key).toBe("MyProject.Tests.CalculatorTests.Add_ReturnsSum(1,2,3)");
    expect(tests[1]!.fields[0]!.value).toBe(
      "   at MyProject.Tests.CalculatorTests.Divide_ByZero_Throws() in /src/CalculatorTests.cs:line 27\n",
    );
    expect(tests[1]!.fields[0]!.meta).toEqual({
      message: "Expected: <System.DivideByZeroException>\n  But was:  null",
    });
    expect(summary.elapsed).toBe(153_000); // root time="0,153"
  });

  it("Robot Framework converted to JUnit, with steps and an html field", async () => {
    const { tests, summary } = await parseFixture("robot-converted.xml");
    expect(statuses(tests)).toEqual(["passed", "failure", "skipped"]);
    expect(tests[0]!.steps.map((s) => s.status)).toEqual(["passed", "passed", "passed"]);
    expect(tests[0]!.fields).toEqual([
      {
        source: "property",
        type: "html",
        name: "Documentation",
        value: "<p>Checks the <b>happy</b> path</p>",
        isHighlight: false,
      },
    ]);
    expect(tests[1]!.fields[0]).toMatchObject({
      value: "Page should have contained text 'Welcome' but did not.",
      meta: { type: "AssertionError" },
    });
    const steps = toWireTest(tests[1]!).fields!.at(-1)!;
    expect(steps.value).toBe(
      '<test-steps><test-step status="passed">Input Password    wrong</test-step>\n' +
        '<test-step status="failed">Page Should Contain    Welcome</test-step>\n</test-steps>',
    );
    expect(summary.elapsed).toBe(1_502_000);
  });

  it("CRLF output with markers", async () => {
    const { tests } = await parseFixture("markers-crlf.xml");
    expect(tests[0]!.attachments).toEqual([
      { source: "system-out", name: "attachment", value: "C:\\results\\shot.png" },
    ]);
    expect(tests[0]!.fields.map((f) => [f.type, f.name, f.value])).toEqual([
      ["console", "Output", "first line\n[[PROPERTY|inline=kept]] because text follows\nlast line"],
      ["string", "build", "42"],
      ["text", "Release notes", "line A\nline B"],
      ["console", "Log", "err 1\nerr 2"],
    ]);
  });

  it.each([
    ["utf16le-bom.xml", "utf-16le"],
    ["utf16be-bom.xml", "utf-16be"],
  ])("UTF-16 file %s", async (name, encoding) => {
    const { tests, summary } = await parseFixture(name);
    expect(tests.map((t) => t.key)).toEqual(["intl.Größe.prüft Ünïcödé ✓ 😀"]);
    expect(summary).toMatchObject({ encoding, elapsed: 2_000_000 });
  });

  it("Latin-1 file with an encoding declaration", async () => {
    const { tests } = await parseFixture("latin1-declared.xml");
    expect(tests[0]!.key).toBe("intl.Café.crème brûlée");
  });
});

describe("malformed and hostile fixtures", () => {
  it.each([
    ["malformed-unclosed.xml", "unexpected close tag (line 6, column 13)"],
    ["malformed-two-roots.xml", "documents may contain only one root (line 2, column 11)"],
    ["malformed-attribute-without-value.xml", "disallowed character in attribute name (line 2, column 43)"],
    [
      "malformed-bare-ampersand.xml",
      "unterminated entity reference (a bare & must be written &amp;) (line 4, column 0)",
    ],
  ])("%s fails with file, line and column", async (name, detail) => {
    const error = await parseFixture(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JUnitParseError);
    expect((error as Error).message).toBe(`Failed to parse file: ${name}: ${detail}`);
  });

  it.each(["entity-bomb.xml", "entity-external.xml"])("%s fails fast without expanding anything", async (name) => {
    const before = process.memoryUsage().rss;
    const started = performance.now();
    await expect(parseFixture(name)).rejects.toThrow(/is declared in the DOCTYPE; DTD entities are never expanded/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it("surfaces a missing file as Node's own error, like Testmo", async () => {
    await expect(parseFixture("does-not-exist.xml")).rejects.toThrow(/ENOENT: no such file or directory/);
  });
});
