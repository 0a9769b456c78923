import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FastPathUnsupported, FastXmlScanner } from "./fast-scanner.js";
import { parseJUnitStream } from "./parse.js";
import type { JUnitTest } from "./types.js";
import { REFERENCE_MARK } from "./values.js";

type Event = [string, ...unknown[]];

/** The events the fast scanner emits for `xml` fed in chunks of `chunkSize` characters. */
function scan(xml: string, chunkSize = xml.length || 1): Event[] {
  const events: Event[] = [];
  const scanner = new FastXmlScanner({
    openTag: (name, attributes) => events.push(["open", name, { ...attributes }]),
    closeTag: () => events.push(["close"]),
    text: (text) => events.push(["text", text]),
    cdata: (text) => events.push(["cdata", text]),
  });
  for (let at = 0; at < xml.length; at += chunkSize) scanner.write(xml.slice(at, at + chunkSize));
  scanner.close();
  return events;
}

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function* streamOf(bytes: Buffer, chunkSize: number): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
}

/** Tests (in yielded batches), summary and error of one tokenizer. */
async function read(bytes: Buffer, tokenizer: "auto" | "saxes", chunkSize: number, countOnly = false) {
  const parse = parseJUnitStream(() => streamOf(bytes, chunkSize), { fileName: "f.xml", tokenizer, countOnly });
  const tests: JUnitTest[] = [];
  let error: unknown;
  try {
    for await (const batch of parse.batches()) tests.push(...batch);
  } catch (caught) {
    error = caught;
  }
  return { tests, summary: parse.summary, error };
}

type Reading = Awaited<ReturnType<typeof read>>;

/**
 * The same tests, summary and error. Before an error the tests yielded can differ: saxes
 * drops the tests its failing chunk completed, and the fast scanner can give up a chunk
 * later. That never reaches a server: the CLI reads every file once before it uploads
 * anything, and uploads only the files read without error.
 */
function expectSameReading(auto: Reading, saxes: Reading, label?: string): void {
  expect(auto.error, label).toEqual(saxes.error);
  if (saxes.error === undefined) expect(auto, label).toEqual(saxes);
  else expect(auto.tests.slice(0, saxes.tests.length), label).toEqual(saxes.tests);
}

describe("fast XML scanner", () => {
  it("reads what test tools write, with saxes' events, across any chunk boundary", () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- by a tool -->\n<testsuites>' +
      "<testsuite name=\"s &amp; t\" time = '1.5'>\r\n" +
      '<testcase classname="a.b" name="x&#65;&#x42;&lt;&gt;&quot;&apos;" time="0.1"/>' +
      '<testcase name="y"><failure message="line1\r\nline2\tend">trace\r\n at a&amp;b <!-- c --> more</failure>' +
      "<system-out><![CDATA[raw <b> & \r\n ]] text]]></system-out></testcase>" +
      '<testcase name="ünïcödé 😀"></testcase></testsuite></testsuites>\n<!-- end -->\n';
    const expected: Event[] = [
      ["open", "testsuites", {}],
      ["open", "testsuite", { name: "s & t", time: "1.5" }],
      ["text", "\n"],
      ["open", "testcase", { classname: "a.b", name: `x${REFERENCE_MARK}#65;${REFERENCE_MARK}#x42;<>"'`, time: "0.1" }],
      ["close"],
      ["open", "testcase", { name: "y" }],
      ["open", "failure", { message: "line1 line2 end" }],
      ["text", "trace\n at a&b "],
      ["text", " more"],
      ["close"],
      ["open", "system-out", {}],
      ["cdata", "raw <b> & \n ]] text"],
      ["close"],
      ["close"],
      ["open", "testcase", { name: "ünïcödé 😀" }],
      ["close"],
      ["close"],
      ["close"],
    ];
    for (const chunkSize of [1, 2, 3, 5, 8, 13, 64, 4096]) expect(scan(xml, chunkSize)).toEqual(expected);
  });

  it.each([
    ["a DOCTYPE", '<!DOCTYPE x [<!ENTITY a "b">]><testsuite/>'],
    ["a processing instruction", "<testsuite><?pi x?></testsuite>"],
    ["an XML declaration not at the start", ' <?xml version="1.0"?><testsuite/>'],
    ["an XML 1.1 declaration", '<?xml version="1.1"?><testsuite/>'],
    ["an undefined entity", "<testsuite>&nbsp;</testsuite>"],
    ["a bare ampersand", "<testsuite>a & b</testsuite>"],
    ["an entity in an attribute without ;", '<testsuite name="a &amp b"/>'],
    ["a control character", "<testsuite>\u0001</testsuite>"],
    ["a lone surrogate", "<testsuite>\ud800x</testsuite>"],
    ["a non-character", "<testsuite>\uffff</testsuite>"],
    ["a mismatched closing tag", "<testsuite><testcase></testsuite>"],
    ["an unclosed root", "<testsuite><testcase/>"],
    ["no root", "  "],
    ["two roots", "<a/><b/>"],
    ["text outside the root", "<a/>x"],
    ["]]> in text", "<a>]]></a>"],
    ["-- in a comment", "<a><!-- a -- b --></a>"],
    ["a comment ending in -", "<a><!-- a ---></a>"],
    ["a duplicate attribute", '<a x="1" x="2"/>'],
    ["an unquoted attribute", "<a x=1/>"],
    ["an attribute without a value", "<a flaky/>"],
    ["attributes without space", '<a x="1"y="2"/>'],
    ["< in an attribute", '<a x="<"/>'],
    ["a non-ASCII name", "<tëst/>"],
    ["a name starting with a digit", "<1a/>"],
    ["CDATA outside the root", "<![CDATA[x]]><a/>"],
    ["a cut document", "<a><b"],
  ])("leaves %s to saxes", (_what, xml) => {
    expect(() => scan(xml)).toThrow(FastPathUnsupported);
  });

  it("leaves an XML declaration cut by chunk ends past 1 KiB to saxes", async () => {
    const xml = `<?xml version="1.0"${" ".repeat(2000)}?><testsuite><testcase name="a"/></testsuite>`;
    expect(scan(xml)).toHaveLength(4);
    expect(() => scan(xml, 512)).toThrow(/an XML declaration over 1 KiB/);
    const bytes = Buffer.from(xml);
    const auto = await read(bytes, "auto", 512);
    expectSameReading(auto, await read(bytes, "saxes", 512));
    expect(auto.tests).toHaveLength(1);
  });

  it("reads every real-world fixture itself, and reads it as saxes does", async () => {
    const fixtures = [
      "cypress-mocha.xml",
      "go-junit-report.xml",
      "jest-junit.xml",
      "markers-crlf.xml",
      "nunit-converted.xml",
      "phpunit.xml",
      "playwright.xml",
      "pytest.xml",
      "robot-converted.xml",
      "surefire-junit5.xml",
    ];
    for (const name of fixtures) {
      const bytes = readFileSync(fixture(name));
      expect(() => scan(bytes.toString("utf8")), name).not.toThrow();
      for (const chunkSize of [7, 64, 65536]) {
        for (const countOnly of [false, true]) {
          const fast = await read(bytes, "auto", chunkSize, countOnly);
          expectSameReading(fast, await read(bytes, "saxes", chunkSize, countOnly), `${name} in ${chunkSize}`);
          expect(fast.error).toBeUndefined();
        }
      }
    }
  });

  it("reads a CDATA section or comment of many chunks on, without giving up, as saxes does", async () => {
    const log = "line of output ]] -- > 😀\r\n".repeat(40_000); // about 1 MB
    const xml = `<testsuite><testcase name="a"><system-out><![CDATA[${log}]]></system-out><!-- ${"c- ".repeat(50_000)} --></testcase></testsuite>`;
    for (const chunkSize of [16 * 1024, 16 * 1024 + 1, 64 * 1024]) {
      const events = scan(xml, chunkSize);
      expect(events).toContainEqual(["cdata", log.replaceAll("\r\n", "\n")]);
      const bytes = Buffer.from(xml);
      expectSameReading(await read(bytes, "auto", chunkSize), await read(bytes, "saxes", chunkSize), `${chunkSize}`);
    }
    // A "--" deep inside a long comment is still found.
    expect(() => scan(`<a><!-- ${"x".repeat(100_000)}--${"x".repeat(100_000)} --></a>`, 4096)).toThrow(
      FastPathUnsupported,
    );
  });

  it("leaves a tag cut by chunk ends past 256 KiB to saxes, which reads on instead of starting it again", async () => {
    const xml = `<testsuite><testcase name="a"><failure message="${"m".repeat(300_000)}"/></testcase></testsuite>`;
    expect(() => scan(xml, 16 * 1024)).toThrow(/a tag over 256 KiB/);
    expect(scan(xml, xml.length)).toHaveLength(6);
    const bytes = Buffer.from(xml);
    const auto = await read(bytes, "auto", 16 * 1024);
    expectSameReading(auto, await read(bytes, "saxes", 16 * 1024));
    expect(auto.tests[0]!.fields[0]!.value).toHaveLength(300_000);
  });

  it("gives a file to saxes halfway through without yielding a test twice", async () => {
    const cases = Array.from({ length: 300 }, (_, i) => `<testcase classname="c" name="t${i}" time="0.001"/>`);
    cases[250] = '<testcase classname="c" name="t250">&nbsp;<failure message="m"/></testcase>';
    const bytes = Buffer.from(`<testsuite name="s">${cases.join("\n")}</testsuite>`);
    const auto = await read(bytes, "auto", 1024);
    expectSameReading(auto, await read(bytes, "saxes", 1024));
    expect(auto.tests.map((t) => t.name)).toEqual(cases.map((_, i) => `t${i}`));
    expect(auto.summary.testCount).toBe(300);
    expect(auto.summary.warnings).toEqual(["undefined entity kept literally"]);
  });

  it("gives saxes' error, line and column for a file that breaks late", async () => {
    const cases = Array.from({ length: 200 }, (_, i) => `<testcase name="t${i}"/>`).join("\n");
    const bytes = Buffer.from(`<testsuite>\n${cases}\n<testcase name="x"></testsuite>`);
    const auto = await read(bytes, "auto", 512);
    expectSameReading(auto, await read(bytes, "saxes", 512));
    expect((auto.error as Error).message).toMatch(/^Failed to parse file: f\.xml: .* \(line 202, column \d+\)$/);
  });

  it("reads a mutated document exactly as saxes does, or leaves it to saxes (seeded fuzz)", async () => {
    const base = Buffer.from(readFileSync(fixture("surefire-junit5.xml"), "utf8").slice(0, 3000)).toString();
    const alphabet = [
      "<",
      ">",
      "&",
      ";",
      '"',
      "'",
      "/",
      "!",
      "?",
      "-",
      "[",
      "]",
      "\r",
      "\n",
      "\t",
      "\u0001",
      "é",
      "a",
      " ",
    ];
    let seed = 12345;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % below;
    };
    const rounds = Number(process.env.ASSAY_SCANNER_FUZZ_ROUNDS ?? 300);
    for (let round = 0; round < rounds; round++) {
      let xml = base;
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(xml.length);
        const text = alphabet[random(alphabet.length)]!;
        const kind = random(3);
        xml =
          kind === 0
            ? xml.slice(0, at) + text + xml.slice(at)
            : xml.slice(0, at) + (kind === 1 ? "" : text) + xml.slice(at + 1);
      }
      const bytes = Buffer.from(xml);
      const chunkSize = 1 + random(400);
      expectSameReading(
        await read(bytes, "auto", chunkSize),
        await read(bytes, "saxes", chunkSize),
        `round ${round}: ${xml}`,
      );
    }
  });
});
