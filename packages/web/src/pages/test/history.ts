import type { SetQuarantine, TestHistoryItem } from "@assay/api";
import { formatAbsolute, formatDuration } from "../../ui/format";
import { type OutcomeName, outcomeName, shortSha } from "../../ui/insights";

/** Pure helpers of the test page (shaping the history for the strip and the chart; the quarantine form). */

/** How many timed results the p95 looks at (docs/analytics.md: `elapsed_p95`). */
export const P95_WINDOW = 30;

/** Nearest-rank percentile (as the server computes `elapsed_p95`); null without values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

export interface DurationSeries {
  /** Unix seconds of each timed result, oldest first. */
  x: number[];
  /** Elapsed µs of each timed result. */
  elapsed: number[];
  /** Elapsed µs of the failed ones (null for the others): drawn as red points over the line. */
  failed: (number | null)[];
  /** p95 of the last 30 timed results up to each one (the figure `elapsed_p95` at that time). */
  p95: number[];
}

/** The chart's series from a history page (newest first, as the API sends it): timed results only, oldest first. */
export function durationSeries(history: readonly TestHistoryItem[]): DurationSeries {
  const timed = history.filter((item) => item.elapsed !== null).reverse();
  const series: DurationSeries = { x: [], elapsed: [], failed: [], p95: [] };
  const window: number[] = [];
  let lastX = Number.NEGATIVE_INFINITY;
  for (const item of timed) {
    const elapsed = item.elapsed!;
    window.push(elapsed);
    if (window.length > P95_WINDOW) window.shift();
    // uPlot needs strictly ascending x: results stored in the same millisecond get spread apart
    let x = Date.parse(item.created_at) / 1000;
    if (!(x > lastX)) x = lastX + 0.001;
    lastX = x;
    series.x.push(x);
    series.elapsed.push(elapsed);
    series.failed.push(item.status === 3 ? elapsed : null);
    series.p95.push(percentile(window, 0.95)!);
  }
  return series;
}

export interface StripCell {
  id: number;
  runId: number;
  outcome: OutcomeName;
  /** Tooltip and accessible name: outcome, run, duration, time, branch and commit. */
  label: string;
}

const OUTCOME_WORDS: Readonly<Record<OutcomeName, string>> = {
  passed: "Passed",
  failed: "Failed",
  neutral: "Neither passed nor failed",
};

/** The strip's cells, oldest first (newest right), from a history page (newest first). */
export function stripCells(history: readonly TestHistoryItem[]): StripCell[] {
  return history
    .slice()
    .reverse()
    .map((item) => {
      const outcome = outcomeName(item.status);
      const parts = [
        `${OUTCOME_WORDS[outcome]} in ${item.run_name}`,
        item.elapsed === null ? null : formatDuration(item.elapsed),
        formatAbsolute(item.created_at),
        item.branch || item.commit_sha
          ? [item.branch, item.commit_sha ? `@ ${shortSha(item.commit_sha)}` : null].filter(Boolean).join(" ")
          : null,
        item.message,
      ];
      return { id: item.id, runId: item.run_id, outcome, label: parts.filter(Boolean).join(" · ") };
    });
}

/** "Last 100 results: 71 passed, 25 failed, 4 neither." */
export function stripSummary(cells: readonly StripCell[]): string {
  if (cells.length === 0) return "No results yet.";
  const count = (outcome: OutcomeName) => cells.filter((cell) => cell.outcome === outcome).length;
  const neutral = count("neutral");
  const latest = cells[cells.length - 1]!;
  return (
    `Last ${cells.length} result${cells.length === 1 ? "" : "s"}, oldest first: ${count("passed")} passed, ${count("failed")} failed` +
    (neutral > 0 ? `, ${neutral} neither passed nor failed` : "") +
    `. Latest: ${latest.outcome === "neutral" ? "neither passed nor failed" : latest.outcome}.`
  );
}

/** The value of a `datetime-local` input (local time, no zone) as an ISO time in UTC; null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** An ISO time as the value of a `datetime-local` input (the browser's zone, to the minute). */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export interface QuarantineForm {
  reason: string;
  /** `datetime-local` value, "" for no expiry. */
  expires: string;
}

export type QuarantineErrors = Partial<Record<"reason" | "expires_at", string>>;

/** Checks the form as the server will (reason 1–1000 characters, not blank; expiry in the future) and builds the body. */
export function checkQuarantine(
  form: QuarantineForm,
  now = Date.now(),
): { body: SetQuarantine; errors: null } | { body: null; errors: QuarantineErrors } {
  const errors: QuarantineErrors = {};
  const reason = form.reason.trim();
  if (reason === "") errors.reason = "Say why the test is quarantined.";
  else if (reason.length > 1000)
    errors.reason = `At most 1,000 characters (this is ${reason.length.toLocaleString("en-US")}).`;
  let expiresAt: string | null = null;
  if (form.expires !== "") {
    expiresAt = localInputToIso(form.expires);
    if (expiresAt === null) errors.expires_at = "Enter a date and time, or leave it empty for no expiry.";
    else if (Date.parse(expiresAt) <= now) errors.expires_at = "The expiry must be in the future.";
  }
  if (Object.keys(errors).length > 0) return { body: null, errors };
  return { body: { reason, expires_at: expiresAt }, errors: null };
}
