import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { CreateAutomationTest } from "@assay/api";
import { glob, isDynamicPattern } from "tinyglobby";
import type { Logger } from "../output/logger.js";
import { CliError, RewriterError } from "./errors.js";

/** The internal test object the parser yields and a rewriter sees (cli.md §5.8). */
export interface ParsedTest {
  key: string;
  name: string;
  status: string;
  folder?: string;
  file?: string;
  line?: number;
  elapsed?: number;
  assertions?: number;
  attachments: unknown[];
  fields: unknown[];
  steps: unknown[];
}

/** What the command layer needs from the JUnit parser; the real one lives in ../junit. */
export interface ResultParser {
  /**
   * Testmo's detection: known extension and a `<testsuite` marker. Returns why a file is not a
   * result file (it is then skipped), or undefined for a result file.
   */
  whyNotResultFile(path: string): Promise<string | undefined>;
  /**
   * Streams the tests of one file; `elapsedMicros` resolves once the stream has ended. With
   * `countOnly`, the parser may skip building tests and yield none, counting them instead.
   */
  parseFile(path: string, displayName?: string, options?: { countOnly?: boolean }): ParsedFileStream;
  toWireTest(test: ParsedTest): CreateAutomationTest;
}

export interface ParsedFileStream {
  tests: AsyncIterable<ParsedTest>;
  /** The same tests in arrays (one promise per array, not per test); use this or `tests`. */
  batches?(): AsyncIterable<ParsedTest[]>;
  /** Tests read so far (all of them once the stream ended), also in count-only mode. */
  testCount?(): number;
  /** The file's elapsed time (root time attribute, or the sum of its tests), known after the stream ended. */
  elapsedMicros(): number;
  /** Non-fatal oddities found in the file (known after the stream ended). */
  warnings?(): string[];
}

export type Rewriter = (test: ParsedTest) => void;

/**
 * Expands every argument that contains glob magic (Testmo expands only a lone argument, W11),
 * sorts each expansion so uploads are reproducible, keeps literal paths as given and drops
 * duplicates. Dot-files stay unmatched, as in Testmo's CLI.
 */
export async function resolveResultFiles(
  patterns: string[],
  cwd: string,
  onNoMatch: (pattern: string) => void = () => {},
): Promise<string[]> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, { cwd, absolute: false, onlyFiles: true, expandDirectories: false });
      if (matches.length === 0) onNoMatch(pattern);
      files.push(...matches.sort());
    } else {
      files.push(pattern);
    }
  }
  return [...new Set(files)];
}

export interface ScanResult {
  /** Files that were detected and parsed (in order); only these are streamed for upload. */
  files: string[];
  /** The same files as the user named them, for messages. */
  displayNames: string[];
  testCount: number;
  elapsedMicros: number;
  warnings: string[];
  /** The --results-rewriter, already run over every test once by the scan. */
  rewriter?: Rewriter;
}

export interface ScanOptions {
  cwd: string;
  ignoreParseError: boolean;
  logger: Logger;
  rewriter?: Rewriter;
}

/**
 * First pass: count the tests and sum the file times without keeping any test in memory.
 * Testmo parses everything (and runs the rewriter) before its first request, so a malformed
 * file or a failing rewriter fails the command before a run exists; this pass keeps that
 * guarantee while the upload itself streams. The rewriter therefore sees each test twice.
 */
export async function scanResultFiles(
  candidates: string[],
  parser: ResultParser,
  options: ScanOptions,
): Promise<ScanResult> {
  const result: ScanResult = {
    files: [],
    displayNames: [],
    testCount: 0,
    elapsedMicros: 0,
    warnings: [],
    rewriter: options.rewriter,
  };
  for (const file of candidates) {
    const path = resolve(options.cwd, file);
    try {
      await assertReadableFile(path, file);
    } catch (error) {
      if (!options.ignoreParseError) throw error;
      warn(result, options.logger, `${(error as Error).message} (ignored because of --ignore-parse-error)`);
      continue;
    }
    const notResult = await parser.whyNotResultFile(path);
    if (notResult !== undefined) {
      // Testmo skips these silently (W13); a skipped report is named, so a wrong path shows.
      warn(result, options.logger, `Skipped ${file}: ${notResult}`);
      continue;
    }
    try {
      // Without a rewriter, this pass only needs counts, times and well-formedness.
      const stream = parser.parseFile(path, file, { countOnly: options.rewriter === undefined });
      let count = 0;
      for await (const tests of batchesOf(stream)) {
        for (const test of tests) options.rewriter?.(test);
        count += tests.length;
      }
      if (options.rewriter === undefined && stream.testCount) count = stream.testCount();
      result.testCount += count;
      result.elapsedMicros += stream.elapsedMicros();
      for (const warning of stream.warnings?.() ?? []) warn(result, options.logger, `${file}: ${warning}`);
      result.files.push(path);
      result.displayNames.push(file);
      options.logger.debug(`Parsed ${file}: ${count} tests`);
    } catch (error) {
      if (error instanceof RewriterError) throw error;
      // The parser's message already reads "Failed to parse file: <file>: <reason> (line, column)".
      const message = (error as Error).message;
      const full = message.startsWith("Failed to parse file") ? message : `Failed to parse file: ${file}: ${message}`;
      if (!options.ignoreParseError) throw new CliError(full);
      warn(result, options.logger, `${full} (skipped because of --ignore-parse-error)`);
    }
  }
  return result;
}

/** Second pass: parse → rewriter → wire form, in the arrays the parser completes per read chunk. */
export async function* streamWireTests(
  files: string[],
  parser: ResultParser,
  rewriter: Rewriter | undefined,
): AsyncGenerator<CreateAutomationTest[]> {
  for (const path of files) {
    for await (const tests of batchesOf(parser.parseFile(path))) {
      const wire = new Array<CreateAutomationTest>(tests.length);
      for (let i = 0; i < tests.length; i++) {
        const test = tests[i]!;
        rewriter?.(test);
        wire[i] = parser.toWireTest(test);
      }
      yield wire;
    }
  }
}

async function* batchesOf(stream: ParsedFileStream): AsyncGenerator<ParsedTest[]> {
  if (stream.batches) {
    yield* stream.batches();
    return;
  }
  for await (const test of stream.tests) yield [test];
}

async function assertReadableFile(path: string, shownAs: string): Promise<void> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch {
    throw new CliError(
      `Result file not found: ${shownAs} (looked for ${path}); check the --results path, or quote a glob pattern`,
    );
  }
  if (info.isDirectory()) {
    throw new CliError(`${shownAs} is a directory, not a result file: pass --results '${shownAs}/**/*.xml' instead`);
  }
}

function warn(result: ScanResult, logger: Logger, message: string): void {
  result.warnings.push(message);
  logger.warn(message);
}
