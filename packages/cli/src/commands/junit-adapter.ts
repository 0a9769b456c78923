import { detectJUnitFile, type JUnitTest, parseJUnitFile, toWireTest } from "../junit/index.js";
import type { ParsedFileStream, ParsedTest, ResultParser } from "./results.js";

/** Bridges the command layer to the streaming JUnit parser in ../junit. */
export const junitResultParser: ResultParser = {
  async isResultFile(path: string): Promise<boolean> {
    return (await detectJUnitFile(path)).isJUnit;
  },
  parseFile(path: string, displayName?: string): ParsedFileStream {
    const parse = parseJUnitFile(path, { fileName: displayName ?? path });
    return {
      tests: parse as AsyncIterable<ParsedTest>,
      elapsedMicros: () => parse.summary.elapsed,
      warnings: () => parse.summary.warnings,
    };
  },
  toWireTest(test: ParsedTest) {
    return toWireTest(test as JUnitTest);
  },
};
