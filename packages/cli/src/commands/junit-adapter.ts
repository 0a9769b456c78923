import { detectJUnitFile, JUNIT_EXTENSIONS, type JUnitTest, parseJUnitFile, toWireTest } from "../junit/index.js";
import type { ParsedFileStream, ParsedTest, ResultParser } from "./results.js";

/** Bridges the command layer to the streaming JUnit parser in ../junit. */
export const junitResultParser: ResultParser = {
  async whyNotResultFile(path: string): Promise<string | undefined> {
    const detection = await detectJUnitFile(path);
    if (detection.isJUnit) return undefined;
    return detection.reason === "extension"
      ? `not a result file (the extension must be one of ${JUNIT_EXTENSIONS.join(" ")})`
      : "not JUnit XML (no <testsuite> or <testsuites> element near its start)";
  },
  parseFile(path: string, displayName?: string, options: { countOnly?: boolean } = {}): ParsedFileStream {
    const parse = parseJUnitFile(path, { fileName: displayName ?? path, countOnly: options.countOnly === true });
    return {
      tests: parse as AsyncIterable<ParsedTest>,
      batches: () => parse.batches() as AsyncIterable<ParsedTest[]>,
      testCount: () => parse.summary.testCount,
      elapsedMicros: () => parse.summary.elapsed,
      warnings: () => parse.summary.warnings,
    };
  },
  toWireTest(test: ParsedTest) {
    return toWireTest(test as JUnitTest);
  },
};
