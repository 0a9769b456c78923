import { FastXmlScanner, type XmlEvents } from "./fast-scanner.js";
import { SaxesTokenizer } from "./saxes-tokenizer.js";
import { type RerunElement, type StatusElement, TestCaseBuilder } from "./test-builder.js";
import type { JUnitTest } from "./types.js";
import { parseSecondsToMicros } from "./values.js";
import type { WarningLog } from "./warnings.js";

/**
 * The §5.6 file elapsed is found by descending single-child suite chains. A
 * stream cannot look ahead, so each suite resolves its own candidate when it
 * closes and hands it to its parent, which keeps only its first child's.
 */
interface ElapsedCandidate {
  found: boolean;
  elapsed?: number;
}

interface SuiteTiming {
  ownTime?: ElapsedCandidate;
  suites: number;
  suiteGroups: number;
  cases: number;
  firstSuite?: ElapsedCandidate;
  firstSuiteGroup?: ElapsedCandidate;
}

type TestCaseFrame = { role: "testcase"; builder: TestCaseBuilder };
type Frame =
  | { role: "document" | "suite"; name: string; timing: SuiteTiming }
  | TestCaseFrame
  | { role: "status"; kind: StatusElement; attributes: Record<string, string>; text: string[] }
  | { role: "rerun"; kind: RerunElement; attributes: Record<string, string>; text: string[]; stackTrace: string[] }
  | { role: "stackTrace"; text: string[] }
  | { role: "output"; kind: "system-out" | "system-err"; text: string[] }
  | { role: "properties" }
  | { role: "property"; attributes: Record<string, string>; text: string[] }
  | { role: "ignored" };

const IGNORED: Frame = { role: "ignored" };
const STATUS_ELEMENTS = new Set(["skipped", "failure", "error"]);
const RERUN_ELEMENTS = new Set(["flakyFailure", "flakyError", "rerunFailure", "rerunError"]);

/** Which XML tokenizer feeds the reader: the fast scanner (which may give up) or saxes. */
export type TokenizerKind = "fast" | "saxes";

export interface ReaderOptions {
  countOnly?: boolean;
  /** Default saxes. The fast scanner throws FastPathUnsupported on input it leaves to saxes. */
  tokenizer?: TokenizerKind;
}

/**
 * Turns XML events into tests, keeping only the open-element path in memory.
 * Tests are emitted when their `</testcase>` closes, so in document order.
 * Testmo emits nested suites' tests before a suite's direct test cases (W22);
 * we deliberately do not copy that: only the order changes, never a test's
 * content, key or count.
 */
export class JUnitReader implements XmlEvents {
  private readonly tokenizer: { write(text: string): void; close(): void };
  private readonly documentTiming = emptyTiming();
  private readonly stack: Frame[] = [{ role: "document", name: "", timing: this.documentTiming }];
  private ready: JUnitTest[] = [];
  private testElapsedSum = 0;
  testCount = 0;

  private readonly countOnly: boolean;

  constructor(
    fileName: string,
    private readonly warnings: WarningLog,
    options: ReaderOptions = {},
  ) {
    this.countOnly = options.countOnly === true;
    this.tokenizer =
      options.tokenizer === "fast" ? new FastXmlScanner(this) : new SaxesTokenizer(this, fileName, warnings);
  }

  /** Feeds text; returns the tests completed by it. */
  write(text: string): JUnitTest[] {
    this.tokenizer.write(text);
    return this.takeReady();
  }

  close(): JUnitTest[] {
    this.tokenizer.close();
    return this.takeReady();
  }

  /** §5.6: root time, else the single-child suite chain's time, else the sum of test times. */
  fileElapsed(): number {
    const candidate = descend(this.documentTiming);
    return candidate.found && candidate.elapsed !== undefined ? candidate.elapsed : this.testElapsedSum;
  }

  private takeReady(): JUnitTest[] {
    const tests = this.ready;
    this.ready = [];
    return tests;
  }

  private get top(): Frame {
    return this.stack[this.stack.length - 1]!;
  }

  openTag(name: string, attributes: Record<string, string>): void {
    // A self-closing tag also gets closeTag, so every open tag gets a frame.
    this.stack.push(this.frameFor(name, attributes));
  }

  text(text: string): void {
    this.addText(text.trim());
  }

  /** CDATA keeps its whitespace, like Testmo. */
  cdata(text: string): void {
    this.addText(text);
  }

  private frameFor(name: string, attributes: Record<string, string>): Frame {
    const parent = this.top;
    if (parent.role === "document" || parent.role === "suite") {
      return this.suiteChild(parent.timing, name, attributes, parent.role === "document");
    }
    switch (parent.role) {
      case "testcase":
        return this.countOnly ? IGNORED : testCaseChild(parent.builder, name, attributes);
      case "properties":
        return name === "property" ? { role: "property", attributes, text: [] } : IGNORED;
      case "rerun":
        return name === "stackTrace" ? { role: "stackTrace", text: parent.stackTrace } : IGNORED;
      default:
        return IGNORED;
    }
  }

  private suiteChild(timing: SuiteTiming, name: string, attributes: Record<string, string>, atRoot: boolean): Frame {
    if (name === "testsuite" || name === "testsuites") {
      return { role: "suite", name, timing: { ...emptyTiming(), ownTime: ownTime(attributes) } };
    }
    if (name === "testcase") {
      timing.cases++;
      if (TestCaseBuilder.hasName(attributes)) return { role: "testcase", builder: new TestCaseBuilder(attributes) };
      this.warnings.add("test case without a name skipped");
      return IGNORED;
    }
    if (atRoot) {
      this.warnings.add(`root element <${name}> is not <testsuites>, <testsuite> or <testcase>: no tests read`);
    }
    return IGNORED;
  }

  closeTag(): void {
    const frame = this.stack.pop()!;
    const parent = this.top;
    switch (frame.role) {
      case "suite":
        registerSuite(parent, frame.name, resolveSuite(frame.timing));
        break;
      case "testcase":
        this.emit(frame.builder);
        break;
      case "status":
        (parent as TestCaseFrame).builder.addStatus(frame.kind, {
          attributes: frame.attributes,
          text: frame.text.join(""),
        });
        break;
      case "rerun":
        (parent as TestCaseFrame).builder.addRerun(frame.kind, {
          attributes: frame.attributes,
          text: frame.text.join("") || frame.stackTrace.join(""),
        });
        break;
      case "output":
        (parent as TestCaseFrame).builder.setOutput(frame.kind, frame.text.join(""));
        break;
      case "property":
        (this.stack[this.stack.length - 2] as TestCaseFrame).builder.addProperty(frame.attributes, frame.text.join(""));
        break;
    }
  }

  private emit(builder: TestCaseBuilder): void {
    if (this.countOnly) {
      this.testCount++;
      this.testElapsedSum += builder.elapsedMicros() ?? 0;
      return;
    }
    const { test, warnings } = builder.build();
    for (const warning of warnings) this.warnings.add(warning);
    this.ready.push(test);
    this.testCount++;
    this.testElapsedSum += test.elapsed ?? 0;
  }

  private addText(text: string): void {
    if (text === "") return;
    const frame = this.top;
    if ("text" in frame) frame.text.push(text);
  }
}

function testCaseChild(builder: TestCaseBuilder, name: string, attributes: Record<string, string>): Frame {
  if (STATUS_ELEMENTS.has(name)) return { role: "status", kind: name as StatusElement, attributes, text: [] };
  if (RERUN_ELEMENTS.has(name)) {
    return { role: "rerun", kind: name as RerunElement, attributes, text: [], stackTrace: [] };
  }
  if ((name === "system-out" || name === "system-err") && builder.wantsOutput(name)) {
    // Mark it taken now, so a second system-out is ignored even if this one is empty.
    builder.setOutput(name, "");
    return { role: "output", kind: name, text: [] };
  }
  if (name === "properties" && builder.claimProperties()) return { role: "properties" };
  return IGNORED;
}

function emptyTiming(): SuiteTiming {
  return { suites: 0, suiteGroups: 0, cases: 0 };
}

function ownTime(attributes: Record<string, string>): ElapsedCandidate | undefined {
  if (attributes["time"] === undefined && attributes["duration"] === undefined) return undefined;
  const elapsed = parseSecondsToMicros(attributes["time"]) ?? parseSecondsToMicros(attributes["duration"]);
  return elapsed === undefined ? { found: true } : { found: true, elapsed };
}

function resolveSuite(timing: SuiteTiming): ElapsedCandidate {
  return timing.ownTime ?? descend(timing);
}

/** Descend only through exactly one `testsuites` or exactly one `testsuite` child, with no test case beside it. */
function descend(timing: SuiteTiming): ElapsedCandidate {
  if (timing.cases > 0) return { found: false };
  if (timing.suiteGroups === 1 && timing.suites === 0) return timing.firstSuiteGroup ?? { found: false };
  if (timing.suites === 1 && timing.suiteGroups === 0) return timing.firstSuite ?? { found: false };
  return { found: false };
}

function registerSuite(parent: Frame, name: string, candidate: ElapsedCandidate): void {
  if (parent.role !== "document" && parent.role !== "suite") return;
  const timing = parent.timing;
  if (name === "testsuite") {
    timing.suites++;
    if (timing.suites === 1) timing.firstSuite = candidate;
  } else {
    timing.suiteGroups++;
    if (timing.suiteGroups === 1) timing.firstSuiteGroup = candidate;
  }
}
