import type { RunComparison } from "@assay/api";
import { CliError } from "../commands/errors.js";

/** `--exit-code` values: `child` is Testmo's behaviour and the default. */
export const EXIT_CODE_MODES = ["child", "from-results"] as const;
export type ExitCodeMode = (typeof EXIT_CODE_MODES)[number];

export function exitCodeMode(value: string | undefined): ExitCodeMode {
  const mode = value?.trim() || "child";
  if ((EXIT_CODE_MODES as readonly string[]).includes(mode)) return mode as ExitCodeMode;
  throw new CliError(`Invalid --exit-code value "${mode}": allowed values are ${EXIT_CODE_MODES.join(", ")}`);
}

/** The rule, as printed by `--help` and in the README. */
export const FROM_RESULTS_RULE = `--exit-code from-results decides from the uploaded results (the run comparison's failed tests):
  - at least one failed test that is not quarantined: the command's exit code if it is non-zero, else 1
  - failed tests, all of them quarantined: 0, even when the command failed
  - no failed test: the command's exit code (a crashed build without results still fails)
  When the comparison cannot be fetched, the command's exit code is used, with a warning.`;

export interface ExitDecision {
  code: number;
  reason: string;
}

/** `--exit-code from-results`: the exit code from the run's failed tests and the child's exit code. */
export function exitCodeFromResults(childExitCode: number, failures: RunComparison["failures"]): ExitDecision {
  const { total, unquarantined } = failures;
  if (unquarantined > 0) {
    const code = childExitCode !== 0 ? childExitCode : 1;
    return { code, reason: `${unquarantined} failed test${unquarantined === 1 ? " is" : "s are"} not quarantined` };
  }
  if (total > 0) {
    return {
      code: 0,
      reason: total === 1 ? "the failed test is quarantined" : `all ${total} failed tests are quarantined`,
    };
  }
  return { code: childExitCode, reason: "no failed tests: the command's exit code" };
}
