import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { CliError, RewriterError } from "./errors.js";
import type { ParsedTest, Rewriter } from "./results.js";

/**
 * Loads a `--results-rewriter` script: CommonJS, exporting `rewriteTest(test)` which mutates
 * the test in place (its return value is ignored, as in Testmo's CLI).
 */
export function loadRewriter(file: string, cwd: string): Rewriter {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new CliError(`Rewriter script not found: ${file}`);
  let module: { rewriteTest?: unknown };
  try {
    module = createRequire(import.meta.url)(path);
  } catch (error) {
    throw rewriterError(error);
  }
  const rewriteTest = module?.rewriteTest;
  if (typeof rewriteTest !== "function") {
    throw new CliError('Rewriter script returned an error: Rewriter function "rewriteTest" not found');
  }
  return (test: ParsedTest) => {
    try {
      rewriteTest(test);
    } catch (error) {
      throw rewriterError(error);
    }
  };
}

function rewriterError(error: unknown): RewriterError {
  const message = error instanceof Error ? error.message : String(error);
  return new RewriterError(`Rewriter script returned an error: ${message}`, 1, [message]);
}
