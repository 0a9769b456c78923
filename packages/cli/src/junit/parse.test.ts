import { describe, expect, it } from "vitest";
import { JUnitParseError } from "./errors.js";
import { parseJUnitStream } from "./parse.js";
import type { JUnitFileSummary, JUnitTest } from "./types.js";
import { hashTestKey, toWireTest } from "./wire.js";

/** `chunks` as the byte stream parseJUnitStream reads (a file's, in the CLI). */
async function* streamOf(...chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* chunks;
}

/** One tokenizer's reading of the chunks: its tests and summary, or its error. */
async function readWith(chunks: Buffer[], tokenizer: "auto" | "saxes") {
  const parse = parseJUnitStream(() => streamOf(...chunks), { fileName: "t.xml", tokenizer });
  const tests: JUnitTest[] = [];
  try {
    for await (const test of parse) tests.push(test);
  } catch (error) {
    return { error, tests, summary: parse.summary as JUnitFileSummary };
  }
  return { error: undefined, tests, summary: parse.summary as JUnitFileSummary };
}

/**
 * Parses XML given in chunks of `chunkSize` bytes, to exercise chunk boundaries too. Every
 * test here also reads the XML with saxes alone and expects the very same tests, summary
 * and error: the fast scanner must read exactly what saxes reads, or leave the file to it.
 */
async function parseXml(xml: string | Buffer, chunkSize = 64 * 1024) {
  const bytes = typeof xml === "string" ? Buffer.from(xml) : xml;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    chunks.push(bytes.subarray(offset, offset + chunkSize));
  const [auto, saxes] = await Promise.all([readWith(chunks, "auto"), readWith(chunks, "saxes")]);
  // Before an error the tests yielded may differ (fast-scanner.test.ts says why); the error may not.
  expect(auto.error).toEqual(saxes.error);
  if (auto.error !== undefined) throw auto.error;
  expect(auto).toEqual(saxes);
  return { tests: auto.tests, summary: auto.summary };
}

async function parseError(xml: string): Promise<JUnitParseError> {
  const error = await parseXml(xml).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JUnitParseError);
  return error as JUnitParseError;
}

const suite = (body: string, attributes = "") => `<testsuite name="s"${attributes}>${body}</testsuite>`;

describe("structure (cli.md §5.4)", () => {
  it("emits tests in document order across nested suites (W22 fixed: order only)", async () => {
    const { tests } = await parseXml(
      `<testsuites><testsuite name="outer">
        <testcase classname="c" name="first"/>
        <testsuite name="inner"><testcase classname="c" name="nested"/></testsuite>
        <testcase classname="c" name="last"/>
      </testsuite><testcase classname="c" name="under-testsuites"/></testsuites>`,
    );
    expect(tests.map((t) => t.name)).toEqual(["first", "nested", "last", "under-testsuites"]);
  });

  it("accepts a root testcase and reads nothing under an unknown root", async () => {
    expect((await parseXml(`<testcase name="alone"/>`)).tests).toHaveLength(1);
    const { tests, summary } = await parseXml(`<results><testsuite><testcase name="x"/></testsuite></results>`);
    expect(tests).toEqual([]);
    expect(summary.warnings[0]).toMatch(/root element <results>/);
  });

  it("ignores namespaced and unknown elements, and test cases nested in test cases", async () => {
    const { tests } = await parseXml(
      suite(`<x:testcase xmlns:x="urn:x" name="ns"/><other><testcase name="hidden"/></other>
        <testcase name="outer"><testcase name="inner"/></testcase>`),
    );
    expect(tests.map((t) => t.name)).toEqual(["outer"]);
  });

  it("drops test cases without a (trimmed) name, with one counted warning", async () => {
    const { tests, summary } = await parseXml(suite(`<testcase/><testcase name="   "/><testcase name="ok"/>`));
    expect(tests.map((t) => t.name)).toEqual(["ok"]);
    expect(summary.warnings).toEqual(["test case without a name skipped (2 times)"]);
  });
});

describe("per-test rules (cli.md §5.5)", () => {
  it("builds folder and raw key from classname, else class, else name only", async () => {
    const { tests } = await parseXml(
      suite(`<testcase classname=" com.a.Foo " name=" passes "/>
        <testcase class="pkg.Cls" name="viaClass"/>
        <testcase classname="  " name="noFolder"/>`),
    );
    expect(tests.map((t) => [t.key, t.folder])).toEqual([
      ["com.a.Foo.passes", "com.a.Foo"],
      ["pkg.Cls.viaClass", "pkg.Cls"],
      ["noFolder", undefined],
    ]);
    expect(toWireTest(tests[0]!).key).toMatch(/^4741784a.*532394$/);
    expect(toWireTest(tests[2]!).folder).toBe("Unnamed folder");
  });

  it("decodes numeric references for display but hashes them literally (§10)", async () => {
    const { tests } = await parseXml(
      suite(`<testcase classname="a&#46;B" name="caf&#233; &#x2713; &amp;#65; &lt;&gt;"/>`),
      5, // small chunks split the references
    );
    const [test] = tests;
    expect(test!.name).toBe("café ✓ &#65; <>");
    expect(test!.folder).toBe("a.B");
    expect(test!.key).toBe("a&#46;B.caf&#233; &#x2713; &#65; <>");
    expect(toWireTest(test!).key).toBe(hashTestKey("a&#46;B.caf&#233; &#x2713; &#65; <>"));
  });

  it("keeps undefined (HTML) entities literally, as Testmo does", async () => {
    const { tests, summary } = await parseXml(suite(`<testcase name="a&nbsp;b &copy;"/>`));
    expect(tests[0]!.name).toBe("a&nbsp;b &copy;");
    expect(summary.warnings).toEqual(["undefined entity kept literally (2 times)"]);
  });

  it("keeps control characters (ANSI colours) that Testmo accepts", async () => {
    const { tests } = await parseXml(
      suite(`<testcase name="t"><system-out>\u001b[31mred\u001b[0m</system-out></testcase>`),
    );
    expect(tests[0]!.fields[0]!.value).toBe("\u001b[31mred\u001b[0m");
  });

  it("sets the status with precedence error > failure > skipped, in any document order", async () => {
    const { tests } = await parseXml(
      suite(`<testcase name="e"><error/><skipped/><failure/></testcase>
        <testcase name="f"><failure/><skipped/></testcase>
        <testcase name="s"><skipped/></testcase>
        <testcase name="p"><system-out>x</system-out><rerunFailure/></testcase>`),
    );
    expect(tests.map((t) => t.status)).toEqual(["error", "failure", "skipped", "passed"]);
  });

  it("gives one highlighted console field per status element: skipped, failure, error order", async () => {
    const { tests } = await parseXml(
      suite(`<testcase name="t">
        <error message="E1" type="Boom">stack</error>
        <failure message="F1"/>
        <skipped type="only-type"/>
        <failure>   </failure>
        <failure><![CDATA[  kept  ]]></failure>
      </testcase>`),
    );
    expect(tests[0]!.fields).toEqual([
      { source: "skipped", type: "console", name: "Skipped", value: "only-type", isHighlight: true, meta: {} },
      { source: "failure", type: "console", name: "Failure", value: "F1", isHighlight: true, meta: {} },
      { source: "failure", type: "console", name: "Failure", value: "  kept  ", isHighlight: true, meta: {} },
      {
        source: "error",
        type: "console",
        name: "Error",
        value: "stack",
        isHighlight: true,
        meta: { message: "E1", type: "Boom" },
      },
    ]);
  });

  it("reads time (else duration), file, line and assertions with Testmo's rules", async () => {
    const { tests } = await parseXml(
      suite(`<testcase name="a" time="1,5" file=" src/a.ts " line="10" assertions="0"/>
        <testcase name="b" time="1e3" duration="2" line="10.5" assertions="x"/>
        <testcase name="c" time="-1"/>`),
    );
    expect(tests.map(({ elapsed, file, line, assertions }) => ({ elapsed, file, line, assertions }))).toEqual([
      { elapsed: 1_500_000, file: "src/a.ts", line: 10, assertions: 0 },
      { elapsed: 2_000_000, file: undefined, line: undefined, assertions: undefined },
      { elapsed: undefined, file: undefined, line: undefined, assertions: undefined },
    ]);
  });

  it("uses only the first system-out, system-err and properties", async () => {
    const { tests } = await parseXml(
      suite(`<testcase name="t">
        <system-out>one</system-out><system-out>two</system-out>
        <system-err>e1</system-err><system-err>e2</system-err>
        <properties><property name="a" value="1"/></properties>
        <properties><property name="b" value="2"/></properties>
      </testcase>`),
    );
    expect(tests[0]!.fields.map((f) => [f.name, f.value])).toEqual([
      ["Output", "one"],
      ["Errors", "e1"],
      ["a", "1"],
    ]);
  });
});

describe("properties, markers, attachments and steps (cli.md §5.7)", () => {
  it("collects fields in Testmo's order: details, Output, Errors, out markers, err markers, properties", async () => {
    const { tests } = await parseXml(
      suite(`<testcase name="t">
        <properties>
          <property name="attachment9" value="https://cdn.x/p.png"/>
          <property name="step[passed]" value="from property"/>
          <property name="notes"><![CDATA[
            multi
            line ]]></property>
          <property name="" value="no name"/>
          <property name="empty"/>
          <property name="valueWins" value="v">text</property>
        </properties>
        <system-err>err
[[PROPERTY|fromErr=2]]
[[ATTACHMENT|err.log]]</system-err>
        <system-out>out
[[ATTACHMENT|out.png]]
[[PROPERTY|fromOut=1]]
[[PROPERTY|attachment-log=build.log]]
[[PROPERTY|step[failed]]]
click
[[/PROPERTY]]</system-out>
        <failure message="m"/>
      </testcase>`),
    );
    const [test] = tests;
    expect(test!.fields.map((f) => `${f.source}:${f.type}:${f.name}=${f.value}`)).toEqual([
      "failure:console:Failure=m",
      "system-out:console:Output=out",
      "system-err:console:Errors=err",
      "system-out:string:fromOut=1",
      "system-err:string:fromErr=2",
      "property:text:notes=multi\n            line",
      "property:string:valueWins=v",
    ]);
    expect(test!.attachments.map((a) => `${a.source}:${a.name}=${a.value}`)).toEqual([
      "system-out:attachment=out.png",
      "system-err:attachment=err.log",
      "system-out:attachment-log=build.log",
      "property:attachment9=https://cdn.x/p.png",
    ]);
    expect(test!.steps).toEqual([
      { source: "system-out", content: "click", status: "failed" },
      { source: "property", content: "from property", status: "passed" },
    ]);
  });

  it("reads CRLF output markers from the fixture shape", async () => {
    const xml = suite(
      `<testcase name="t"><system-out>a\r\n[[PROPERTY|k=v]]\r\n[[PROPERTY|block]]\r\nx\r\ny\r\n[[/PROPERTY]]\r\nb</system-out></testcase>`,
    );
    const { tests } = await parseXml(xml, 3);
    expect(tests[0]!.fields.map((f) => [f.name, f.value])).toEqual([
      ["Output", "a\nb"],
      ["k", "v"],
      ["block", "x\ny"],
    ]);
  });

  it("warns about an unterminated property block", async () => {
    const { summary } = await parseXml(
      suite(`<testcase name="t"><system-out>[[PROPERTY|open]]\nx</system-out></testcase>`),
    );
    expect(summary.warnings).toEqual(["unterminated [[PROPERTY|open]] block swallowed the rest of the output"]);
  });

  it("adds a non-highlighted field per Surefire rerun element without changing the status", async () => {
    const { tests } = await parseXml(
      suite(`<testcase name="t"><flakyError message="m" type="T"><stackTrace>trace</stackTrace>
        <system-out>rerun output is not the test's</system-out></flakyError></testcase>`),
    );
    expect(tests[0]!.status).toBe("passed");
    expect(tests[0]!.fields).toEqual([
      {
        source: "flakyError",
        type: "console",
        name: "Flaky error",
        value: "trace",
        isHighlight: false,
        meta: { message: "m", type: "T" },
      },
    ]);
  });
});

describe("file elapsed (cli.md §5.6)", () => {
  const cases: Array<[string, string, number]> = [
    [
      "root testsuites time with a comma",
      `<testsuites time="12,5">${suite(`<testcase name="a" time="1"/>`)}</testsuites>`,
      12_500_000,
    ],
    ["root duration", `<testsuites duration="3">${suite(`<testcase name="a" time="1"/>`)}</testsuites>`, 3_000_000],
    [
      "descends through single suites",
      `<testsuites><testsuites><testsuite time="7"><testcase name="a" time="1"/></testsuite></testsuites></testsuites>`,
      7_000_000,
    ],
    [
      "sums tests when several suites have no root time",
      `<testsuites>${suite(`<testcase name="a" time="1"/>`, ' time="5"')}${suite(`<testcase name="b" time="2"/>`, ' time="5"')}</testsuites>`,
      3_000_000,
    ],
    [
      "sums tests when a test case sits beside the single suite",
      `<testsuites><testcase name="a" time="1"/>${suite(`<testcase name="b" time="2"/>`, ' time="9"')}</testsuites>`,
      3_000_000,
    ],
    [
      "sums tests when the found time is invalid",
      `<testsuites time="abc">${suite(`<testcase name="a" time="4"/>`)}</testsuites>`,
      4_000_000,
    ],
    ["zero for no tests", `<testsuites/>`, 0],
  ];
  it.each(cases)("%s", async (_label, xml, elapsed) => {
    expect((await parseXml(xml)).summary.elapsed).toBe(elapsed);
  });
});

describe("errors and hostile input", () => {
  it("names file, line and column for malformed XML", async () => {
    const error = await parseError(`<testsuite>\n  <testcase name="a">\n    <failure>\n  </testcase>\n</testsuite>`);
    expect(error.message).toBe("Failed to parse file: t.xml: unexpected close tag (line 4, column 13)");
    expect([error.fileName, error.line, error.column]).toEqual(["t.xml", 4, 13]);
  });

  it.each([
    ["a bare ampersand", `<testsuite><testcase name="R & D"/></testsuite>`, /bare & must be written &amp;/],
    ["an attribute without value", `<testsuite><testcase name="x" flaky/></testsuite>`, /attribute/],
    ["two roots", `<testsuite/><testsuite/>`, /only one root/],
    ["a < in an attribute", `<testsuite><testcase name="a<b"/></testsuite>`, /disallowed character/],
    ["an empty document", ``, /root element/],
  ])("rejects %s", async (_label, xml, reason) => {
    expect((await parseError(xml)).reason).toMatch(reason);
  });

  it("refuses DTD entities at their first reference, so a billion-laughs bomb never expands", async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
      <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><testsuite><testcase name="&c;"/></testsuite>`;
    const error = await parseError(bomb);
    expect(error.reason).toMatch(/entity &c; is declared in the DOCTYPE/);
  });

  it("parses a DOCTYPE whose entities are declared but never used", async () => {
    const xml = `<!DOCTYPE t [<!ENTITY a "x">]><testsuite><testcase name="ok"/></testsuite>`;
    expect((await parseXml(xml)).tests).toHaveLength(1);
  });
});

describe("encodings (W14 fixed)", () => {
  const xml = `<?xml version="1.0"?><testsuite><testcase classname="Größe" name="✓ 😀"/></testsuite>`;

  it.each([
    ["UTF-8 with BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]), "utf-8"],
    ["UTF-16LE with BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, "utf16le")]), "utf-16le"],
    ["UTF-16LE without BOM", Buffer.from(xml, "utf16le"), "utf-16le"],
    ["UTF-16BE with BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(xml, "utf16le").swap16()]), "utf-16be"],
  ])("reads %s, split into odd chunks", async (_label, bytes, encoding) => {
    const { tests, summary } = await parseXml(bytes, 3);
    expect(summary.encoding).toBe(encoding);
    expect(tests.map((t) => t.key)).toEqual(["Größe.✓ 😀"]);
  });

  it("honours a Latin-1 encoding declaration", async () => {
    const latin1 = Buffer.from(
      `<?xml version="1.0" encoding="ISO-8859-1"?><testsuite><testcase name="caf\u00e9"/></testsuite>`,
      "latin1",
    );
    const { tests, summary } = await parseXml(latin1);
    expect(tests[0]!.name).toBe("café");
    expect(summary.encoding).toBe("windows-1252");
  });

  it("reads an unknown declared encoding as UTF-8 with a warning", async () => {
    const { tests, summary } = await parseXml(
      `<?xml version="1.0" encoding="x-klingon"?><testsuite><testcase name="é"/></testsuite>`,
    );
    expect(tests[0]!.name).toBe("é");
    expect(summary.warnings).toEqual(['unsupported encoding "x-klingon" declared; read as UTF-8']);
  });
});

describe("streaming", () => {
  it("can be iterated only once and reports a complete summary at the end", async () => {
    const source = Buffer.from(suite(`<testcase name="a" time="1"/><testcase name="b" time="2"/>`));
    const parse = parseJUnitStream(streamOf(source), { fileName: "s.xml" });
    const names: string[] = [];
    for await (const test of parse) {
      names.push(test.name);
      expect(parse.summary.complete).toBe(false);
    }
    expect(names).toEqual(["a", "b"]);
    expect(parse.summary).toEqual({
      fileName: "s.xml",
      encoding: "utf-8",
      testCount: 2,
      elapsed: 3_000_000,
      warnings: [],
      complete: true,
    });
    await expect(async () => {
      for await (const _ of parse) {
        // second pass
      }
    }).rejects.toThrow(/only once/);
  });
});

describe("the count-only pass (checks a file before an upload)", () => {
  const xml = `<testsuites><testsuite name="s">
    <testcase classname="c" name="a" time="1,5"><failure message="m">x</failure><system-out>[[PROPERTY|open]]</system-out></testcase>
    <testcase name=" "/><testcase classname="c" name="b" duration="2"/></testsuite></testsuites>`;

  async function countOnly(text: string) {
    const parse = parseJUnitStream(streamOf(Buffer.from(text)), { fileName: "t.xml", countOnly: true });
    const yielded: unknown[] = [];
    for await (const batch of parse.batches()) yielded.push(...batch);
    return { yielded, summary: parse.summary };
  }

  it("counts tests and sums times like the full parse, building none", async () => {
    const full = await parseXml(xml);
    const { yielded, summary } = await countOnly(xml);
    expect(yielded).toEqual([]);
    expect([summary.testCount, summary.elapsed, summary.complete]).toEqual([2, 3_500_000, true]);
    expect([summary.testCount, summary.elapsed]).toEqual([full.summary.testCount, full.summary.elapsed]);
  });

  it("still refuses malformed XML", async () => {
    await expect(countOnly(`<testsuite><testcase name="a"></testsuite>`)).rejects.toThrow(/unexpected close tag/);
  });
});
