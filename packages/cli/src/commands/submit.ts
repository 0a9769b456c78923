import { LIMITS } from "../api-values.js";
import { withCiMetadata } from "../ci/metadata.js";
import { exitCodeMode } from "../summary/exit-code.js";
import type { CommandContext } from "./context.js";
import { createClient, readToken } from "./context.js";
import { checkUploadTarget } from "./preflight.js";
import {
  assertTestsFound,
  collectResults,
  DEFAULT_BATCH_SIZE,
  describeRunResources,
  dryRun,
  loadRunResources,
  type ResultsRawOptions,
  type RunCreateRawOptions,
  runChildIfGiven,
  runCreateBody,
  threadBody,
  uploadThreadTests,
  withResources,
} from "./run-shared.js";
import { reportRun } from "./run-summary.js";
import { batchSize, instanceOrigin, proxyAddress } from "./validate.js";

export interface SubmitOptions extends RunCreateRawOptions, ResultsRawOptions {
  instance?: string;
  resources?: string;
  execSuppress?: boolean;
  execStopError?: boolean;
  proxy?: string;
  dryRun?: boolean;
  /** false with --no-ci-metadata */
  ciMetadata?: boolean;
  exitCode?: string;
}

/**
 * automation:run:submit — create a run, one thread with all results, complete the run.
 * Returns the exit code: the child command's when one ran, else 0; with `--exit-code
 * from-results`, decided from the run's failed tests (summary/exit-code.ts).
 */
export async function submit(context: CommandContext, options: SubmitOptions, command: string[]): Promise<number> {
  const { logger } = context;
  const origin = instanceOrigin(options.instance);
  const { projectId, body } = runCreateBody(options);
  const proxy = proxyAddress(options.proxy);
  const perBatch = batchSize(options.batchSize ?? String(DEFAULT_BATCH_SIZE), LIMITS.testsPerAppend);
  const exitMode = exitCodeMode(options.exitCode);
  const token = options.dryRun ? undefined : readToken(context.env);
  const client = token === undefined ? undefined : createClient(context, origin, token, proxy);
  if (client) await checkUploadTarget(client, origin, { projectId });

  const exec = await runChildIfGiven(context, command, options.execSuppress === true);
  if (exec && options.execStopError && exec.exitCode !== 0) return exec.exitCode;
  const childExitCode = exec?.exitCode ?? 0;

  const resources = await loadRunResources(
    context,
    options.resources,
    (file) => `Resource file does not exist: ${file}`,
    describeRunResources,
  );
  const scan = await collectResults(context, options);
  if (client === undefined) {
    await dryRun(context, scan);
    assertTestsFound(scan, options.allowEmpty, childExitCode);
    return childExitCode;
  }
  assertTestsFound(scan, options.allowEmpty, childExitCode);

  const withUserResources = resources ? withResources(body, resources) : body;
  const runBody =
    options.ciMetadata === false
      ? withUserResources
      : withCiMetadata(withUserResources, context.env, (message) => logger.debug(message));
  const run = await client.post<{ id: number }>(`/projects/${projectId}/automation/runs`, runBody);
  logger.info(`Created new test automation run (ID: ${run.id})`);
  const thread = await client.post<{ id: number }>(`/automation/runs/${run.id}/threads`, threadBody(exec, scan));
  logger.info(`Created new thread (ID: ${thread.id})`);

  logger.info("Sending tests to the server ..");
  const tally = await uploadThreadTests(context, client, thread.id, scan, perBatch);
  await client.post(`/automation/runs/${run.id}/complete`, { measure_elapsed: false });
  // Printed after the complete call succeeded, not before it as Testmo does (W26).
  logger.info("Successfully sent tests and completed run");
  logger.info("Marked the run as completed");
  logger.info(`Summary: ${tally.describe()} in run ${run.id}`);
  return reportRun(context, client, { origin, runId: run.id, exitCode: exitMode, childExitCode });
}
