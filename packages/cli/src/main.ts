#!/usr/bin/env node
import { createRequire } from "node:module";
import { CommanderError } from "commander";
import type { CommandContext, GlobalOptions } from "./commands/context.js";
import { CliError } from "./commands/errors.js";
import { junitResultParser } from "./commands/junit-adapter.js";
import { buildProgram, type ProgramState } from "./commands/program.js";
import { Logger, resolveAnsi } from "./output/logger.js";
import { ignoreClosedOutput, keepYoungGenerationSmall } from "./process/runtime.js";
import { retryPolicyFromEnv } from "./upload/retry.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

function makeContext(globals: GlobalOptions): CommandContext {
  const ansi = resolveAnsi(globals.ansi, process.env, process.stdout.isTTY === true);
  const logger = new Logger({ ansi, debug: globals.debug === true, quiet: globals.quiet === true });
  logger.debug(`Assay CLI/${version} (Node ${process.version}), ANSI ${ansi ? "on" : "off"}`);
  return {
    env: process.env,
    cwd: process.cwd(),
    logger,
    parser: junitResultParser,
    policy: retryPolicyFromEnv(process.env),
    userAgent: `Assay CLI/${version} (Testmo CLI compatible)`,
    progressMode: progressMode(globals, ansi),
    stdin: process.stdin,
  };
}

/** A bar only where someone watches it; plain lines in CI logs; nothing when asked for quiet or debug. */
function progressMode(globals: GlobalOptions, ansi: boolean): CommandContext["progressMode"] {
  if (globals.quiet) return "none";
  if (ansi && process.stderr.isTTY && !globals.debug) return "bar";
  return globals.debug ? "none" : "lines";
}

async function main(argv: string[]): Promise<number> {
  const state: ProgramState = { exitCode: 0 };
  const program = buildProgram(version, makeContext, state).exitOverride();
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv);
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const ansi = resolveAnsi(undefined, process.env, process.stderr.isTTY === true);
    const logger = new Logger({ ansi, debug, quiet: false });
    logger.error(error instanceof Error ? error.message : String(error));
    if (error instanceof CliError) for (const line of error.details) logger.error(line);
    if (debug && error instanceof Error && error.stack) logger.debug(error.stack);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

keepYoungGenerationSmall();
ignoreClosedOutput();
main(process.argv).then((code) => {
  process.exitCode = code;
});
