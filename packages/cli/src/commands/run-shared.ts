import type { CreateAutomationField, CreateAutomationRun, CreateAutomationRunThread } from "@assay/api";
import { FIELD_TYPES } from "../api-values.js";
import { describeExit, type ExecResult, elapsedSeconds, outputFieldValue, runChildCommand } from "../exec.js";
import { countResources, type Resources, readResourcesFile, toWireResources } from "../resources/file.js";
import type { ApiClient } from "../upload/client.js";
import { truncateString } from "../upload/truncate.js";
import { DEFAULT_BATCH_SIZE, uploadTests } from "../upload/uploader.js";
import type { CommandContext } from "./context.js";
import { createUploadProgress } from "./context.js";
import { CliError } from "./errors.js";
import { resolveResultFiles, type ScanResult, scanResultFiles, streamWireTests } from "./results.js";
import { loadRewriter } from "./rewriter.js";
import { optionalId, optionalString, positiveId, requiredText, sourceName, tagList } from "./validate.js";

export interface RunCreateRawOptions {
  projectId?: string;
  name?: string;
  source?: string;
  tags?: string[];
  config?: string;
  configId?: string;
  milestone?: string;
  milestoneId?: string;
}

/** Validates the run options (Testmo's messages) and builds the create-run body minus resources. */
export function runCreateBody(raw: RunCreateRawOptions): { projectId: number; body: CreateAutomationRun } {
  const projectId = positiveId(raw.projectId, "Project ID needs to be a positive number");
  const name = truncateString(requiredText(raw.name, "Name cannot be empty"));
  const source = truncateString(sourceName(raw.source));
  const tags = tagList(raw.tags).map((tag) => truncateString(tag));
  const configId = optionalId(raw.configId, "Config ID needs to be a positive number");
  const milestoneId = optionalId(raw.milestoneId, "Milestone ID needs to be a positive number");
  const config = optionalString(raw.config);
  const milestone = optionalString(raw.milestone);

  const body: CreateAutomationRun = { name, source, fields: [], links: [], artifacts: [] };
  if (tags.length > 0) body.tags = tags;
  if (configId !== undefined) body.config_id = configId;
  if (config !== undefined) body.config = truncateString(config);
  if (milestoneId !== undefined) body.milestone_id = milestoneId;
  if (milestone !== undefined) body.milestone = truncateString(milestone);
  return { projectId, body };
}

export function withResources(body: CreateAutomationRun, resources: Resources): CreateAutomationRun {
  const wire = toWireResources(resources);
  return { ...body, fields: wire.fields, links: wire.links, artifacts: wire.artifacts };
}

export async function loadRunResources(
  context: CommandContext,
  file: string | undefined,
  missingMessage: (file: string) => string,
  describe: (resources: Resources) => string,
  report: (message: string) => void = (message) => context.logger.info(message),
): Promise<Resources | undefined> {
  const path = optionalString(file);
  if (path === undefined) return undefined;
  const resources = await readResourcesFile(path, missingMessage(path));
  report(describe(resources));
  return resources;
}

export const describeRunResources = (r: Resources) =>
  `Found ${r.fields.length} fields, ${r.links.length} links and ${r.artifacts.length} artifacts`;

export function hasResources(resources: Resources | undefined): resources is Resources {
  return resources !== undefined && countResources(resources) > 0;
}

/** Runs the child command given after `--`, if any, and reports it as Testmo's CLI does. */
export async function runChildIfGiven(
  context: CommandContext,
  command: string[],
  suppressStdout: boolean,
): Promise<ExecResult | undefined> {
  if (command.length === 0 || !command[0]) return undefined;
  const result = await runChildCommand(command, { suppressStdout });
  context.logger.info(
    `Program executed in ${elapsedSeconds(result.elapsedMicros)} seconds with exit code ${describeExit(result)}`,
  );
  return result;
}

export function outputField(result: ExecResult): CreateAutomationField {
  return { type: FIELD_TYPES.console, name: "Output", value: outputFieldValue(result) };
}

export function threadBody(
  exec: ExecResult | undefined,
  scan: ScanResult,
  extra: Pick<CreateAutomationRunThread, "fields" | "artifacts"> = {},
): CreateAutomationRunThread {
  const body: CreateAutomationRunThread = {
    fields: [...(exec ? [outputField(exec)] : []), ...(extra.fields ?? [])],
    artifacts: extra.artifacts ?? [],
    elapsed_computed: scan.elapsedMicros,
  };
  if (exec) body.elapsed_observed = exec.elapsedMicros;
  return body;
}

export interface ResultsRawOptions {
  results?: string[];
  resultsRewriter?: string;
  ignoreParseError?: boolean;
  batchSize?: string;
  allowEmpty?: boolean;
}

/** Resolves, detects and counts the result files; prints Testmo's messages and warnings. */
export async function collectResults(context: CommandContext, raw: ResultsRawOptions): Promise<ScanResult> {
  const { logger } = context;
  logger.info("Collecting log files ..");
  const patterns = (raw.results ?? []).map((value) => value.trim()).filter((value) => value !== "");
  const candidates = await resolveResultFiles(patterns, context.cwd, (pattern) =>
    logger.warn(`Warning: --results '${pattern}' matched no file (in ${context.cwd})`),
  );
  const rewriterFile = optionalString(raw.resultsRewriter);
  const scan = await scanResultFiles(candidates, context.parser, {
    cwd: context.cwd,
    ignoreParseError: raw.ignoreParseError === true,
    logger,
    rewriter: rewriterFile === undefined ? undefined : loadRewriter(rewriterFile, context.cwd),
  });
  logger.info(`Found ${scan.files.length} result files with a total of ${scan.testCount} tests`);
  if (scan.files.length === 0) {
    logger.warn("Warning: no valid result files found");
    logger.warn("Please check the --results option and the paths or patterns you passed");
    logger.warn("Result files need a supported extension (such as .xml) and the JUnit XML format");
  }
  return scan;
}

/**
 * Testmo uploads an empty run and exits 0 when no test was found (W12), so a mistyped path
 * goes unnoticed for weeks. We fail instead, before anything is created, unless --allow-empty
 * asks for Testmo's behaviour. A failed child command keeps its own exit code.
 */
export function assertTestsFound(scan: ScanResult, allowEmpty: boolean | undefined, childExitCode: number): void {
  if (scan.testCount > 0 || allowEmpty) return;
  const what = scan.files.length === 0 ? "No result file was found" : "The result files hold no test";
  throw new CliError(
    `${what}: nothing was sent. Check --results (or pass --allow-empty to submit an empty run anyway)`,
    childExitCode !== 0 ? childExitCode : 1,
  );
}

export function wireTestStream(context: CommandContext, scan: ScanResult) {
  return streamWireTests(scan.files, context.parser, scan.rewriter);
}

/** Counts the tests per status as they stream past, for the closing summary and --dry-run. */
export class StatusTally {
  readonly counts = new Map<string, number>();
  total = 0;

  async *observe<T extends { status: string }>(batches: AsyncIterable<T[]>): AsyncGenerator<T[]> {
    for await (const tests of batches) {
      for (const test of tests) this.counts.set(test.status, (this.counts.get(test.status) ?? 0) + 1);
      this.total += tests.length;
      yield tests;
    }
  }

  describe(): string {
    const parts = [...this.counts.entries()].map(([status, count]) => `${count} ${status}`);
    return `${this.total} tests${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
  }
}

/** Streams the tests into a thread with progress; returns the tally. */
export async function uploadThreadTests(
  context: CommandContext,
  client: ApiClient,
  threadId: number,
  scan: ScanResult,
  batchSize: number,
): Promise<StatusTally> {
  const tally = new StatusTally();
  const tests = tally.observe(wireTestStream(context, scan));
  const progress = scan.testCount > 0 ? createUploadProgress(context) : undefined;
  progress?.start(scan.testCount);
  await uploadTests(client, threadId, tests, {
    batchSize,
    progress: progress ?? { start() {}, advance() {}, finish() {} },
  });
  progress?.finish();
  return tally;
}

/** --dry-run: the whole pipeline, counted instead of sent. */
export async function dryRun(context: CommandContext, scan: ScanResult): Promise<void> {
  const tally = new StatusTally();
  for await (const _test of tally.observe(wireTestStream(context, scan))) {
    // counting only
  }
  const { logger } = context;
  logger.result(`Dry run: nothing was sent`);
  logger.result(`Files: ${scan.files.length}`);
  for (const file of scan.displayNames) logger.result(`  ${file}`);
  logger.result(`Tests: ${tally.describe()}`);
  logger.result(`Elapsed (computed from the files): ${elapsedSeconds(scan.elapsedMicros)} seconds`);
  logger.result(`Warnings: ${scan.warnings.length}`);
  for (const warning of scan.warnings) logger.result(`  ${warning}`);
}

export { DEFAULT_BATCH_SIZE };
