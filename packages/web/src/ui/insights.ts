import type { InsightCase, InsightSettings } from "@assay/api";
import { formatCount } from "./format";

/**
 * Words and shapes for the test-intelligence figures (definitions: docs/analytics.md), shared by the
 * test, flaky, slowest and dashboard pages. Pure functions: tested in insights.test.ts.
 */

/** What the UI assumes when the project's settings cannot be read (the server's defaults). */
export const DEFAULT_SETTINGS: InsightSettings = {
  flaky_window: 30,
  flaky_threshold_percent: 10,
  flaky_min_results: 5,
};

export type OutcomeName = "passed" | "failed" | "neutral";

/** Outcome of a result or a test's latest result: 1 neutral, 2 passed, 3 failed. */
export function outcomeName(status: number): OutcomeName {
  return status === 2 ? "passed" : status === 3 ? "failed" : "neutral";
}

export const OUTCOME_LABELS: Readonly<Record<OutcomeName, string>> = {
  passed: "Passed",
  failed: "Failed",
  neutral: "Neither (skipped, untested…)",
};

/** One entry of `recent_outcomes`: `P`/`F`, lower case when it contradicted an earlier result on the same commit. */
export interface RecentOutcome {
  outcome: "passed" | "failed";
  sameCommit: boolean;
}

/** `recent_outcomes` ("PFPpF…", oldest first) as entries; anything but P/F/p/f is skipped. */
export function parseOutcomes(text: string): RecentOutcome[] {
  const outcomes: RecentOutcome[] = [];
  for (const char of text) {
    const upper = char.toUpperCase();
    if (upper !== "P" && upper !== "F") continue;
    outcomes.push({ outcome: upper === "P" ? "passed" : "failed", sameCommit: char !== upper });
  }
  return outcomes;
}

/** "30 recent results, oldest first: 21 passed, 9 failed (2 contradicted a result on the same commit); latest passed." */
export function describeOutcomes(outcomes: readonly RecentOutcome[]): string {
  if (outcomes.length === 0) return "No passed or failed results yet.";
  const passed = outcomes.filter((o) => o.outcome === "passed").length;
  const failed = outcomes.length - passed;
  const same = outcomes.filter((o) => o.sameCommit).length;
  const latest = outcomes[outcomes.length - 1]!.outcome;
  return (
    `${plural(outcomes.length, "recent result")}, oldest first: ${formatCount(passed)} passed, ${formatCount(failed)} failed` +
    (same > 0 ? ` (${formatCount(same)} contradicted a result on the same commit)` : "") +
    `; latest ${latest}.`
  );
}

/**
 * Why a test is flaky, in words (one sentence per reason): `same_commit` and `flip_rate` as defined in
 * docs/analytics.md, with the project's window and threshold.
 */
export function flakyReasonTexts(
  test: Pick<InsightCase, "flaky_reasons" | "flaky_percent">,
  settings: InsightSettings = DEFAULT_SETTINGS,
): string[] {
  return test.flaky_reasons.map((reason) =>
    reason === "same_commit"
      ? `It both passed and failed on the same commit among its last ${settings.flaky_window} results (a retry that passed after failing, or the reverse).`
      : `Its outcome changed between consecutive results ${test.flaky_percent}% of the time over its last ${settings.flaky_window} results (flaky from ${settings.flaky_threshold_percent}%).`,
  );
}

/** Short labels of the reasons, for table cells. */
export function flakyReasonLabel(reason: string): string {
  return reason === "same_commit" ? "Passed and failed on one commit" : reason === "flip_rate" ? "Flips often" : reason;
}

/** `elapsed_change_percent` as "+52%", "−29%", "±0%"; null (fewer than 10 timed results) as "—". */
export function formatChange(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return "—";
  if (percent === 0) return "±0%";
  return `${percent > 0 ? "+" : "−"}${formatCount(Math.abs(percent))}%`;
}

/** A commit SHA shortened as Git shows it (the full one belongs in a title). */
export function shortSha(sha: string | null | undefined): string {
  if (!sha) return "";
  return /^[0-9a-f]{12,}$/i.test(sha) ? sha.slice(0, 10) : sha;
}

/** "1 test", "3 tests". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : nouns}`;
}

/** The placeholders of normalised failure messages (docs/analytics.md, "Failure signature"), in words. */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  str: "a quoted value",
  url: "a URL",
  email: "an e-mail address",
  path: "a file path",
  hex: "a hexadecimal number",
  uuid: "a UUID",
  time: "a date or time",
  duration: "a duration",
  ip: "an IP address",
  num: "a number",
};

export type MessagePart = { text: string } | { placeholder: string };

/** A normalised message split into its literal text and its placeholders (`<num>`, `<str>`, …). */
export function splitPlaceholders(message: string): MessagePart[] {
  const parts: MessagePart[] = [];
  const pattern = new RegExp(`<(${Object.keys(PLACEHOLDERS).join("|")})>`, "g");
  let last = 0;
  for (const match of message.matchAll(pattern)) {
    if (match.index > last) parts.push({ text: message.slice(last, match.index) });
    parts.push({ placeholder: match[1]! });
    last = match.index + match[0].length;
  }
  if (last < message.length) parts.push({ text: message.slice(last) });
  return parts;
}
