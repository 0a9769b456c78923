import type { CreateAutomationTest } from "@assay/api";
import type { Progress } from "../output/progress.js";
import type { ApiClient } from "./client.js";
import { PayloadTooLargeError } from "./errors.js";

export const DEFAULT_BATCH_SIZE = 1000;

export interface UploadOptions {
  batchSize: number;
  progress: Progress;
}

const OPEN = Buffer.from('{"tests":[');
const CLOSE = Buffer.from("]}");

/**
 * A batch being built: each test is serialised as soon as it is parsed, straight into a
 * reused byte buffer, so a batch waiting for its request holds no JS objects or strings that
 * would outlive V8's young generation and swell the heap (bench/cli-upload.bench.js measures
 * the peak RSS). `ends` marks where each test ends, to split the batch on 413.
 */
class BatchBuffer {
  private bytes = Buffer.allocUnsafe(1024 * 1024);
  private length = OPEN.copy(this.bytes, 0);
  readonly ends: number[] = [];

  get count(): number {
    return this.ends.length;
  }

  add(test: CreateAutomationTest): void {
    const json = JSON.stringify(test);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: reserving that spares a second pass over the text.
    this.reserve(1 + 3 * json.length);
    if (this.ends.length > 0) this.bytes[this.length++] = 0x2c; // ,
    this.length += this.bytes.write(json, this.length, "utf8");
    this.ends.push(this.length);
  }

  /** The request body of the whole batch, `{"tests":[…]}`, without copying it. */
  body(): Uint8Array {
    this.reserve(CLOSE.length);
    CLOSE.copy(this.bytes, this.length);
    return this.bytes.subarray(0, this.length + CLOSE.length);
  }

  /** The request body of tests `from` to `to` (exclusive): a copy, needed only after a 413. */
  bodyOf(from: number, to: number): Uint8Array {
    if (from === 0 && to === this.count) return this.body();
    const start = from === 0 ? OPEN.length : this.ends[from - 1]! + 1;
    return Buffer.concat([OPEN, this.bytes.subarray(start, this.ends[to - 1]), CLOSE]);
  }

  clear(): void {
    this.length = OPEN.length;
    this.ends.length = 0;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

/**
 * Streams tests to a thread in batches. Parsing and hashing of the next batch overlap with the
 * upload of the previous one, whose body is complete when the previous answer arrives, so the
 * server never waits for the CLI. Two batch buffers take turns (one in flight, one filling),
 * so memory stays bounded whatever the number of tests; one request at a time keeps the
 * thread's tests in file order.
 */
export async function uploadTests(
  client: ApiClient,
  threadId: number,
  tests: AsyncIterable<CreateAutomationTest[]>,
  options: UploadOptions,
): Promise<number> {
  let sent = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let filling = new BatchBuffer();
  let spare = new BatchBuffer();

  const flush = async () => {
    await inFlight; // the spare buffer is free again once its request is answered
    const batch = filling;
    filling = spare;
    spare = batch;
    filling.clear();
    inFlight = appendSerialized(client, threadId, batch, 0, batch.count).then(() => {
      sent += batch.count;
      options.progress.advance(batch.count);
    });
    // Surface a failure at the next await instead of as an unhandled rejection meanwhile.
    inFlight.catch(() => {});
  };

  for await (const chunk of tests) {
    for (const test of chunk) {
      filling.add(test);
      if (filling.count >= options.batchSize) await flush();
    }
  }
  if (filling.count > 0) await flush();
  await inFlight;
  return sent;
}

/** Appends tests `from`..`to` of a batch; on 413 halves them (each half a new logical request) until they fit. */
async function appendSerialized(
  client: ApiClient,
  threadId: number,
  batch: BatchBuffer,
  from: number,
  to: number,
): Promise<void> {
  const body = batch.bodyOf(from, to);
  try {
    await client.postSerialized(`/automation/runs/threads/${threadId}/append`, body);
  } catch (error) {
    if (!(error instanceof PayloadTooLargeError) || to - from <= 1) throw error;
    const middle = from + Math.ceil((to - from) / 2);
    await appendSerialized(client, threadId, batch, from, middle);
    await appendSerialized(client, threadId, batch, middle, to);
  }
}

/** One append of `tests`, split on 413 like an upload's batches. */
export async function appendBatch(client: ApiClient, threadId: number, tests: CreateAutomationTest[]): Promise<void> {
  const batch = new BatchBuffer();
  for (const test of tests) batch.add(test);
  await appendSerialized(client, threadId, batch, 0, batch.count);
}
