import { toWireResources } from "../resources/file.js";
import { exitCodeMode } from "../summary/exit-code.js";
import type { CommandContext } from "./context.js";
import { createClient, readToken } from "./context.js";
import { describeRunResources, hasResources, loadRunResources } from "./run-shared.js";
import { reportRun } from "./run-summary.js";
import { instanceOrigin, positiveId, proxyAddress } from "./validate.js";

export interface CompleteOptions {
  instance?: string;
  runId?: string;
  measureElapsed?: boolean;
  resources?: string;
  proxy?: string;
  exitCode?: string;
}

/**
 * automation:run:complete — optionally appends run resources, then completes the run and all its
 * threads, and prints the run's summary. Exits 0, or from the results with `--exit-code from-results`.
 */
export async function completeRun(context: CommandContext, options: CompleteOptions): Promise<number> {
  const origin = instanceOrigin(options.instance);
  const runId = positiveId(options.runId, "Run ID needs to be a positive number");
  const proxy = proxyAddress(options.proxy);
  const exitMode = exitCodeMode(options.exitCode);
  const token = readToken(context.env);
  const resources = await loadRunResources(
    context,
    options.resources,
    (file) => `Resource file does not exist: ${file}`,
    describeRunResources,
  );
  const client = createClient(context, origin, token, proxy);
  if (hasResources(resources)) await client.post(`/automation/runs/${runId}/append`, toWireResources(resources));
  await client.post(`/automation/runs/${runId}/complete`, { measure_elapsed: options.measureElapsed !== false });
  context.logger.info("Marked the test run as completed");
  return reportRun(context, client, { origin, runId, exitCode: exitMode, childExitCode: 0 });
}
