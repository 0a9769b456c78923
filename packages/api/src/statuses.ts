/**
 * Default test/result statuses (Testmo ids 1..6) and the alias strings that
 * automation clients send. Testmo's CLI emits `passed`, `failure`, `error`
 * and `skipped`; `error` resolves to Failed but is kept on the test row so it
 * stays recognisable.
 */
export interface StatusDefinition {
  id: number;
  name: string;
  system_name: string;
  color: string;
  is_final: boolean;
  is_untested: boolean;
  is_passed: boolean;
  is_failed: boolean;
  aliases: string[];
}

export const DEFAULT_STATUSES: readonly StatusDefinition[] = [
  {
    id: 1,
    name: "Untested",
    system_name: "untested",
    color: "#b0b8c2",
    is_final: false,
    is_untested: true,
    is_passed: false,
    is_failed: false,
    aliases: ["untested"],
  },
  {
    id: 2,
    name: "Passed",
    system_name: "passed",
    color: "#57b660",
    is_final: true,
    is_untested: false,
    is_passed: true,
    is_failed: false,
    aliases: ["passed", "pass", "success", "ok"],
  },
  {
    id: 3,
    name: "Failed",
    system_name: "failed",
    color: "#e0523f",
    is_final: true,
    is_untested: false,
    is_passed: false,
    is_failed: true,
    aliases: ["failure", "failed", "fail", "error"],
  },
  {
    id: 4,
    name: "Retest",
    system_name: "retest",
    color: "#f5a623",
    is_final: false,
    is_untested: false,
    is_passed: false,
    is_failed: false,
    aliases: ["retest"],
  },
  {
    id: 5,
    name: "Blocked",
    system_name: "blocked",
    color: "#8a6bbf",
    is_final: true,
    is_untested: false,
    is_passed: false,
    is_failed: true,
    aliases: ["blocked"],
  },
  {
    id: 6,
    name: "Skipped",
    system_name: "skipped",
    color: "#7f8c97",
    is_final: true,
    is_untested: false,
    is_passed: false,
    is_failed: false,
    aliases: ["skipped", "skip", "disabled", "ignored"],
  },
];

/** Testmo has 25 status slots; counters exist for each of them. */
export const STATUS_SLOTS = 25;

/** Automation run/thread/source states. */
export const AutomationStatus = { neutral: 1, success: 2, failure: 3, running: 4 } as const;
