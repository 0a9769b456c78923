/** Formatting shared by every page: durations (API durations are microseconds), counts, times. */

const MICROS_PER_MS = 1_000;
const MICROS_PER_SECOND = 1_000_000;

/**
 * A duration in microseconds (every API duration) as people read it: "850 µs", "340 ms", "1.2 s",
 * "4 min 5 s", "39 min", "2 h 3 min", "1 h". Null or undefined (not timed) is "—".
 */
export function formatDuration(micros: number | null | undefined): string {
  if (micros === null || micros === undefined || !Number.isFinite(micros)) return "—";
  const us = Math.max(0, Math.round(micros));
  if (us < MICROS_PER_MS) return `${us} µs`;
  if (us < MICROS_PER_SECOND) {
    const ms = us / MICROS_PER_MS;
    return `${ms < 10 ? trimZero(ms.toFixed(1)) : Math.round(ms)} ms`;
  }
  const seconds = us / MICROS_PER_SECOND;
  if (seconds < 60) {
    const rounded = seconds < 10 ? trimZero(seconds.toFixed(1)) : String(Math.round(seconds));
    // 59.96 s rounds to "60 s": say "1 min" instead
    if (rounded !== "60") return `${rounded} s`;
  }
  const totalSeconds = Math.round(seconds);
  if (totalSeconds < 3600) return withRest(Math.floor(totalSeconds / 60), "min", totalSeconds % 60, "s");
  const totalMinutes = Math.round(totalSeconds / 60);
  return withRest(Math.floor(totalMinutes / 60), "h", totalMinutes % 60, "min");
}

/** "39 min" rather than "39 min 0 s": a zero second unit only adds noise. */
function withRest(whole: number, wholeUnit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${whole} ${wholeUnit}` : `${whole} ${wholeUnit} ${rest} ${restUnit}`;
}

function trimZero(text: string): string {
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}

/** A repository case's key as people know it everywhere (repository, case page, manual runs): 7 → "C7". */
export function formatCaseKey(key: number): string {
  return `C${key}`;
}

const countFormat = new Intl.NumberFormat("en-US");

/** 100000 → "100,000". */
export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : countFormat.format(value);
}

/** 12.5 → "12.5%"; 100 → "100%"; null → "—". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${trimZero(value.toFixed(digits))}%`;
}

const RELATIVE_UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday", "in 3 days", "2 months ago". */
export function formatRelative(value: Date | string, now: Date = new Date()): string {
  const date = typeof value === "string" ? new Date(value) : value;
  const seconds = (date.getTime() - now.getTime()) / 1000;
  if (Number.isNaN(seconds)) return "—";
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size || unit === "minute") {
      return relativeFormat.format(Math.round(seconds / size), unit);
    }
  }
  return "just now";
}

const absoluteFormat = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZoneName: "short",
});

/** "30 Nov 2026, 16:47:36 UTC" in the browser's time zone. */
export function formatAbsolute(value: Date | string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? "—" : absoluteFormat.format(date);
}

/** A wait in seconds as "45 seconds", "2 minutes", "1 hour 5 minutes". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours === 1 ? "" : "s"}${rest ? ` ${rest} minute${rest === 1 ? "" : "s"}` : ""}`;
}
