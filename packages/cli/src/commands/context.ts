import type { Logger } from "../output/logger.js";
import { createProgress, type Progress } from "../output/progress.js";
import { ApiClient } from "../upload/client.js";
import type { RetryPolicy } from "../upload/retry.js";
import { CliError } from "./errors.js";
import type { ResultParser } from "./results.js";
import { proxyAddress } from "./validate.js";

/** Everything a command needs from the outside world, injectable for tests. */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  logger: Logger;
  parser: ResultParser;
  policy: RetryPolicy;
  userAgent: string;
  progressMode: "bar" | "lines" | "none";
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; fd?: number };
}

/** Options every command accepts (on the program or after the command name). */
export interface GlobalOptions {
  ansi?: boolean;
  debug?: boolean;
  quiet?: boolean;
}

/**
 * ASSAY_TOKEN, falling back to Testmo's TESTMO_TOKEN. Commands check it before running the
 * child command, so a CI job with a missing secret fails in seconds, not after the tests (W9).
 */
export function readToken(env: NodeJS.ProcessEnv): string {
  const token = env.ASSAY_TOKEN?.trim() || env.TESTMO_TOKEN?.trim();
  if (!token) throw new CliError("Missing Testmo API token (ASSAY_TOKEN or TESTMO_TOKEN environment variable)");
  return token;
}

export function createClient(context: CommandContext, origin: string, token: string): ApiClient {
  context.logger.debug(() => `Server ${origin}, token ${maskToken(token)}, retries ${context.policy.maxRetries}`);
  return new ApiClient({ origin, token, userAgent: context.userAgent, policy: context.policy, logger: context.logger });
}

export function createUploadProgress(context: CommandContext): Progress {
  return createProgress({ mode: context.progressMode });
}

/**
 * Node's built-in fetch cannot use a proxy without the undici package, and the CLI takes no
 * dependency for it yet. Connecting directly instead could hang for minutes behind a firewall,
 * so a given --proxy fails at once, before the child command runs.
 */
export function rejectProxy(value: string | undefined): void {
  if (proxyAddress(value) === undefined) return;
  throw new CliError(
    "The --proxy option is not supported by assay yet: remove it and allow direct connections to the server",
  );
}

/** Masks the token for --debug output. */
export function maskToken(token: string): string {
  return "*".repeat(Math.min(token.length, 16));
}
