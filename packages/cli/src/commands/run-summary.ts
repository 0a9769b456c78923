import { fetchComparison } from "../summary/comparison.js";
import { type ExitCodeMode, exitCodeFromResults } from "../summary/exit-code.js";
import { runAddress, summaryLines, summaryMarkdown, unavailableMarkdown } from "../summary/render.js";
import { appendStepSummary, stepSummaryPath } from "../summary/step-summary.js";
import type { ApiClient } from "../upload/client.js";
import type { CommandContext } from "./context.js";

export interface RunReportOptions {
  origin: string;
  runId: number;
  exitCode: ExitCodeMode;
  /** The child command's exit code, 0 when none ran. */
  childExitCode: number;
}

/**
 * After a run is completed: fetches the run comparison, prints the summary (not with --quiet),
 * appends it to GitHub's job summary, and returns the exit code. A comparison that cannot be
 * fetched is reported in one line and never changes the exit code.
 */
export async function reportRun(
  context: CommandContext,
  client: ApiClient,
  options: RunReportOptions,
): Promise<number> {
  const { logger } = context;
  const { origin, runId, childExitCode } = options;
  const stepSummary = stepSummaryPath(context.env);
  const fromResults = options.exitCode === "from-results";
  // Nothing would be shown or decided: spare the request.
  if (logger.quiet && !stepSummary && !fromResults) return childExitCode;

  const outcome = await fetchComparison(client, runId);
  if (outcome.ok) {
    for (const line of summaryLines(outcome.comparison, runAddress(origin, runId))) logger.info(line);
  } else {
    logger.info(`Run: ${runAddress(origin, runId)}`);
    logger.info(`Summary unavailable: ${outcome.reason}`);
  }

  if (stepSummary) {
    const markdown = outcome.ok
      ? summaryMarkdown(outcome.comparison, origin)
      : unavailableMarkdown(origin, runId, outcome.reason);
    const failure = await appendStepSummary(stepSummary, markdown);
    if (failure) logger.warn(`Could not write the GitHub step summary: ${failure}`);
    else logger.debug(`Appended the summary to ${stepSummary}`);
  }

  if (!fromResults) return childExitCode;
  if (!outcome.ok) {
    logger.warn(
      `--exit-code from-results: the run comparison is unavailable, so the exit code is the command's (${childExitCode})`,
    );
    return childExitCode;
  }
  const decision = exitCodeFromResults(childExitCode, outcome.comparison.failures);
  logger.info(`Exit code ${decision.code} (from results: ${decision.reason})`);
  return decision.code;
}
