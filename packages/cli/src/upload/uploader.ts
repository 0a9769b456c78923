import type { CreateAutomationTest } from "@assay/api";
import type { Progress } from "../output/progress.js";
import type { ApiClient } from "./client.js";
import { PayloadTooLargeError } from "./errors.js";

export const DEFAULT_BATCH_SIZE = 1000;

export interface UploadOptions {
  batchSize: number;
  progress: Progress;
}

/**
 * Streams tests to a thread in batches. Parsing of the next batch overlaps with the upload of
 * the previous one, and at most one batch is in memory besides the one being built, so memory
 * stays bounded whatever the number of tests.
 */
export async function uploadTests(
  client: ApiClient,
  threadId: number,
  tests: AsyncIterable<CreateAutomationTest>,
  options: UploadOptions,
): Promise<number> {
  let sent = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let batch: CreateAutomationTest[] = [];

  const flush = async (tests: CreateAutomationTest[]) => {
    await inFlight;
    inFlight = appendBatch(client, threadId, tests).then(() => {
      sent += tests.length;
      options.progress.advance(tests.length);
    });
    // Surface a failure at the next await instead of as an unhandled rejection meanwhile.
    inFlight.catch(() => {});
  };

  for await (const test of tests) {
    batch.push(test);
    if (batch.length >= options.batchSize) {
      await flush(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await flush(batch);
  await inFlight;
  return sent;
}

/** One append; on 413 the batch is halved (each half a new logical request) until it fits. */
export async function appendBatch(client: ApiClient, threadId: number, tests: CreateAutomationTest[]): Promise<void> {
  try {
    await client.post(`/automation/runs/threads/${threadId}/append`, { tests });
  } catch (error) {
    if (!(error instanceof PayloadTooLargeError) || tests.length <= 1) throw error;
    const middle = Math.ceil(tests.length / 2);
    await appendBatch(client, threadId, tests.slice(0, middle));
    await appendBatch(client, threadId, tests.slice(middle));
  }
}
