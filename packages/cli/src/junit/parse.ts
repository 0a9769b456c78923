import { createReadStream } from "node:fs";
import { type DetectedEncoding, decodeByteStream } from "./encoding.js";
import { FastPathUnsupported } from "./fast-scanner.js";
import { JUnitReader, type TokenizerKind } from "./reader.js";
import type { JUnitFileSummary, JUnitTest } from "./types.js";
import { WarningLog } from "./warnings.js";

/**
 * One file's tests, read lazily: iterate it once with `for await`. Memory
 * stays bounded by one read chunk plus the tests it completes, whatever the
 * file size. `summary` fills in as the iteration goes and is final (with
 * `complete: true`) once the loop ends without an error.
 */
export interface JUnitParse extends AsyncIterable<JUnitTest> {
  readonly summary: JUnitFileSummary;
  /**
   * The same tests, one array per read chunk: a consumer that handles thousands of tests
   * per second pays one promise per chunk instead of one per test. Use it or the
   * iterator, once.
   */
  batches(): AsyncIterable<JUnitTest[]>;
}

export interface ParseFileOptions {
  /** Name used in messages; defaults to the path as given. */
  fileName?: string;
  /** Read chunk size in bytes (default 16 KiB). */
  chunkSize?: number;
  /**
   * Count tests and sum times only, without building them: the validation pass before an
   * upload. Yields no tests; warnings that come from building (markers, properties) are not
   * collected.
   */
  countOnly?: boolean;
  /**
   * "auto" (default): the fast scanner, and saxes from the start again when the file holds
   * something the fast scanner leaves to it (the tests already yielded are not yielded twice).
   * "saxes": saxes only, the reference the tests compare with.
   */
  tokenizer?: "auto" | "saxes";
}

export interface ParseStreamOptions {
  fileName: string;
  countOnly?: boolean;
  tokenizer?: "auto" | "saxes";
}

/** A byte (or string) stream, or a function that opens it afresh: only that one can be read again by saxes. */
export type JUnitInput = AsyncIterable<Uint8Array | string> | (() => AsyncIterable<Uint8Array | string>);

// Measured (bench/cli-upload.bench.js): with 16 KiB the ~150 tests one chunk completes die
// young, in V8's new space; 1 MiB chunks kept ~10,000 alive across awaits, which were promoted
// and doubled both the peak RSS (155 → 75 MB) and the GC time.
const DEFAULT_CHUNK_SIZE = 16 * 1024;
// A count-only pass keeps no tests, so bigger reads only save per-chunk work: 64 KiB read the
// 100,000-test file in about 200 ms instead of 315 ms. 128 KiB and more grew V8's young
// generation and, with it, the upload's peak RSS (74 → 88 MB at 128 KiB, 100 MB at 256 KiB).
const COUNT_ONLY_CHUNK_SIZE = 64 * 1024;

/**
 * Streams a JUnit XML file. I/O errors (ENOENT, EISDIR) surface as Node's own
 * errors, as Testmo prints them; malformed XML as a `JUnitParseError`.
 */
export function parseJUnitFile(path: string, options: ParseFileOptions = {}): JUnitParse {
  const chunkSize = options.chunkSize ?? (options.countOnly ? COUNT_ONLY_CHUNK_SIZE : DEFAULT_CHUNK_SIZE);
  return new StreamingParse(options.fileName ?? path, () => createReadStream(path, { highWaterMark: chunkSize }), {
    countOnly: options.countOnly === true,
    fast: options.tokenizer !== "saxes",
  });
}

/**
 * Same as `parseJUnitFile` for any byte (or string) stream, e.g. a `Readable`. A stream that
 * cannot be opened again is read by saxes alone.
 */
export function parseJUnitStream(input: JUnitInput, options: ParseStreamOptions): JUnitParse {
  const replayable = typeof input === "function";
  return new StreamingParse(options.fileName, replayable ? input : () => input, {
    countOnly: options.countOnly === true,
    fast: replayable && options.tokenizer !== "saxes",
  });
}

/** Reads a whole file for its summary only (test count, elapsed, warnings). */
export async function summarizeJUnitFile(path: string, options: ParseFileOptions = {}): Promise<JUnitFileSummary> {
  const parse = parseJUnitFile(path, options);
  for await (const _test of parse) {
    // draining: only the summary is wanted
  }
  return parse.summary;
}

class StreamingParse implements JUnitParse {
  readonly summary: JUnitFileSummary;
  private started = false;

  constructor(
    fileName: string,
    private readonly openInput: () => AsyncIterable<Uint8Array | string>,
    private readonly options: { countOnly: boolean; fast: boolean },
  ) {
    this.summary = { fileName, encoding: "utf-8", testCount: 0, elapsed: 0, warnings: [], complete: false };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<JUnitTest, void, undefined> {
    for await (const batch of this.batches()) yield* batch;
  }

  async *batches(): AsyncGenerator<JUnitTest[], void, undefined> {
    if (this.started) throw new Error(`JUnit file ${this.summary.fileName} can be read only once`);
    this.started = true;
    let yielded = 0;
    if (this.options.fast) {
      try {
        for await (const tests of this.read("fast", 0)) {
          yielded += tests.length;
          yield tests;
        }
        return;
      } catch (error) {
        if (!(error instanceof FastPathUnsupported)) throw error;
      }
    }
    // Up to where the fast scanner gave up, saxes reads the same tests: yield only the rest.
    yield* this.read("saxes", yielded);
  }

  private async *read(tokenizer: TokenizerKind, alreadyYielded: number): AsyncGenerator<JUnitTest[], void, undefined> {
    const warnings = new WarningLog();
    const reader = new JUnitReader(this.summary.fileName, warnings, { countOnly: this.options.countOnly, tokenizer });
    let skip = alreadyYielded;
    const unseen = (tests: JUnitTest[]): JUnitTest[] => {
      if (skip === 0) return tests;
      const skipped = Math.min(skip, tests.length);
      skip -= skipped;
      return tests.slice(skipped);
    };
    try {
      const text = decodeByteStream(this.openInput(), (detected) => this.noteEncoding(detected, warnings));
      for await (const chunk of text) {
        const tests = unseen(reader.write(chunk));
        if (tests.length > 0) yield tests;
        this.summary.testCount = reader.testCount;
      }
      const last = unseen(reader.close());
      this.summary.testCount = reader.testCount;
      if (last.length > 0) yield last;
      this.summary.elapsed = reader.fileElapsed();
      this.summary.complete = true;
    } finally {
      this.summary.warnings = warnings.list();
    }
  }

  private noteEncoding(detected: DetectedEncoding, warnings: WarningLog): void {
    this.summary.encoding = detected.encoding;
    if (detected.unsupportedDeclaration !== undefined) {
      warnings.add(`unsupported encoding "${detected.unsupportedDeclaration}" declared; read as UTF-8`);
    }
  }
}
