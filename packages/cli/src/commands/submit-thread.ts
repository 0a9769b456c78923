import { LIMITS } from "../api-values.js";
import { toWireArtifact, toWireField, toWireResources } from "../resources/file.js";
import type { CommandContext } from "./context.js";
import { createClient, readToken } from "./context.js";
import { checkUploadTarget } from "./preflight.js";
import {
  assertTestsFound,
  collectResults,
  DEFAULT_BATCH_SIZE,
  dryRun,
  hasResources,
  loadRunResources,
  type ResultsRawOptions,
  runChildIfGiven,
  threadBody,
  uploadThreadTests,
} from "./run-shared.js";
import { batchSize, instanceOrigin, positiveId, proxyAddress } from "./validate.js";

export interface SubmitThreadOptions extends ResultsRawOptions {
  instance?: string;
  runId?: string;
  runResources?: string;
  threadResources?: string;
  execSuppress?: boolean;
  execStopError?: boolean;
  proxy?: string;
  dryRun?: boolean;
}

/** automation:run:submit-thread — add one thread with results to an existing run, then complete the thread. */
export async function submitThread(
  context: CommandContext,
  options: SubmitThreadOptions,
  command: string[],
): Promise<number> {
  const { logger } = context;
  const origin = instanceOrigin(options.instance);
  const runId = positiveId(options.runId, "Run ID needs to be a positive number");
  const proxy = proxyAddress(options.proxy);
  const perBatch = batchSize(options.batchSize ?? String(DEFAULT_BATCH_SIZE), LIMITS.testsPerAppend);
  const token = options.dryRun ? undefined : readToken(context.env);
  const client = token === undefined ? undefined : createClient(context, origin, token, proxy);
  if (client) await checkUploadTarget(client, origin, { runId });

  const exec = await runChildIfGiven(context, command, options.execSuppress === true);
  if (exec && options.execStopError && exec.exitCode !== 0) return exec.exitCode;
  const childExitCode = exec?.exitCode ?? 0;

  // Testmo prints the thread resources first, then the run resources.
  const threadResources = await loadRunResources(
    context,
    options.threadResources,
    (file) => `Thread resource file does not exist: ${file}`,
    (r) => `Found ${r.fields.length} fields and ${r.artifacts.length} artifacts for the thread`,
  );
  if (threadResources && threadResources.links.length > 0) {
    logger.warn(`Ignoring ${threadResources.links.length} links of the thread resources: threads have no links`);
  }
  const runResources = await loadRunResources(
    context,
    options.runResources,
    (file) => `Run resource file does not exist: ${file}`,
    (r) => `Found ${r.fields.length} fields, ${r.links.length} links and ${r.artifacts.length} artifacts for the run`,
  );
  const scan = await collectResults(context, options);
  if (client === undefined) {
    await dryRun(context, scan);
    assertTestsFound(scan, options.allowEmpty, childExitCode);
    return childExitCode;
  }
  assertTestsFound(scan, options.allowEmpty, childExitCode);

  if (hasResources(runResources)) {
    await client.post(`/automation/runs/${runId}/append`, toWireResources(runResources));
  }
  const thread = await client.post<{ id: number }>(
    `/automation/runs/${runId}/threads`,
    threadBody(exec, scan, {
      fields: threadResources?.fields.map(toWireField) ?? [],
      artifacts: threadResources?.artifacts.map(toWireArtifact) ?? [],
    }),
  );
  logger.info(`Created new thread (ID: ${thread.id})`);
  logger.info("Sending tests to the server ..");
  const tally = await uploadThreadTests(context, client, thread.id, scan, perBatch);
  await client.post(`/automation/runs/threads/${thread.id}/complete`, {});
  logger.info("Successfully sent tests and completed thread");
  logger.info("Marked the thread as completed");
  logger.info(`Summary: ${tally.describe()} in thread ${thread.id} of run ${runId}`);
  return childExitCode;
}
