import type { Logger } from "../output/logger.js";
import { createProgress, type Progress } from "../output/progress.js";
import { ApiClient, redactCredentials } from "../upload/client.js";
import type { RetryPolicy } from "../upload/retry.js";
import { CliError } from "./errors.js";
import type { ResultParser } from "./results.js";

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
  if (!token)
    throw new CliError(
      "Missing API token: set the ASSAY_TOKEN (or TESTMO_TOKEN) environment variable to an API token of the server",
    );
  return token;
}

export function createClient(context: CommandContext, origin: string, token: string, proxy?: string): ApiClient {
  context.logger.debug(
    () =>
      `Server ${origin}, token ${maskToken(token)}, retries ${context.policy.maxRetries}` +
      (proxy ? `, proxy ${redactCredentials(proxy)}` : ""),
  );
  return new ApiClient({
    origin,
    token,
    proxy,
    userAgent: context.userAgent,
    policy: context.policy,
    logger: context.logger,
  });
}

export function createUploadProgress(context: CommandContext): Progress {
  return createProgress({ mode: context.progressMode });
}

/** Masks the token for --debug output. */
export function maskToken(token: string): string {
  return "*".repeat(Math.min(token.length, 16));
}
