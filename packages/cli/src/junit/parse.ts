import { createReadStream } from "node:fs";
import { type DetectedEncoding, decodeByteStream } from "./encoding.js";
import { JUnitReader } from "./reader.js";
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
}

export interface ParseFileOptions {
  /** Name used in messages; defaults to the path as given. */
  fileName?: string;
  /** Read chunk size in bytes (default 1 MiB). */
  chunkSize?: number;
}

export interface ParseStreamOptions {
  fileName: string;
}

const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/**
 * Streams a JUnit XML file. I/O errors (ENOENT, EISDIR) surface as Node's own
 * errors, as Testmo prints them; malformed XML as a `JUnitParseError`.
 */
export function parseJUnitFile(path: string, options: ParseFileOptions = {}): JUnitParse {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  return new StreamingParse(options.fileName ?? path, () => createReadStream(path, { highWaterMark: chunkSize }));
}

/** Same as `parseJUnitFile` for any byte (or string) stream, e.g. a `Readable`. */
export function parseJUnitStream(input: AsyncIterable<Uint8Array | string>, options: ParseStreamOptions): JUnitParse {
  return new StreamingParse(options.fileName, () => input);
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
  ) {
    this.summary = { fileName, encoding: "utf-8", testCount: 0, elapsed: 0, warnings: [], complete: false };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<JUnitTest, void, undefined> {
    if (this.started) throw new Error(`JUnit file ${this.summary.fileName} can be read only once`);
    this.started = true;
    const warnings = new WarningLog();
    const reader = new JUnitReader(this.summary.fileName, warnings);
    try {
      const text = decodeByteStream(this.openInput(), (detected) => this.noteEncoding(detected, warnings));
      for await (const chunk of text) {
        yield* this.count(reader.write(chunk));
      }
      yield* this.count(reader.close());
      this.summary.elapsed = reader.fileElapsed();
      this.summary.complete = true;
    } finally {
      this.summary.warnings = warnings.list();
    }
  }

  private *count(tests: JUnitTest[]): Generator<JUnitTest, void, undefined> {
    for (const test of tests) {
      this.summary.testCount++;
      yield test;
    }
  }

  private noteEncoding(detected: DetectedEncoding, warnings: WarningLog): void {
    this.summary.encoding = detected.encoding;
    if (detected.unsupportedDeclaration !== undefined) {
      warnings.add(`unsupported encoding "${detected.unsupportedDeclaration}" declared; read as UTF-8`);
    }
  }
}
