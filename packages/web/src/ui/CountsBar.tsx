import "./counts-bar.css";
import { formatCount } from "./format";

/** A run's (or thread's) results by kind, for counts bars: passed, failed, skipped, not yet tested and the rest. */
export interface ResultCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** tests without a result yet (status 1): manual runs and sessions in progress; 0 for automation */
  untested: number;
  other: number;
  total: number;
}

/**
 * The counts of an automation run or thread from its Testmo counters: passed and failed statuses
 * (`success_count`, `failure_count`), skipped (status 6: `status5_count`), untested (`untested_count`),
 * other = the rest (blocked, retest, custom statuses). (@assay/api's AutomationRun type builds its counters from a list, so
 * TypeScript does not see them by name: they are read here.)
 */
export function countsOf(counters: object): ResultCounts {
  const read = (name: string) => {
    const value = (counters as Record<string, unknown>)[name];
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
  };
  const passed = read("success_count");
  const failed = read("failure_count");
  const skipped = read("status5_count");
  const untested = read("untested_count");
  const total = read("total_count");
  return { passed, failed, skipped, untested, other: Math.max(0, total - passed - failed - skipped - untested), total };
}

/** Drawn segments, in order; untested tests are the bare track after them. */
const KINDS = ["failed", "passed", "skipped", "other"] as const;
const LEGEND_KINDS = [...KINDS, "untested"] as const;

/** "1,200 passed, 3 failed, 10 skipped, 0 other" (", 4 untested" when some are), or "No tests". */
export function countsLabel(counts: ResultCounts): string {
  if (counts.total === 0) return "No tests";
  const untested = counts.untested > 0 ? `, ${formatCount(counts.untested)} untested` : "";
  return `${formatCount(counts.passed)} passed, ${formatCount(counts.failed)} failed, ${formatCount(counts.skipped)} skipped, ${formatCount(counts.other)} other${untested}`;
}

/**
 * A small SVG bar of passed / failed / skipped / other, each segment as wide as its share (a non-empty segment
 * at least 1% so a single failure stays visible). Its accessible name says the numbers; `legend` also shows them.
 */
export function CountsBar({ counts, legend = false }: { counts: ResultCounts; legend?: boolean }) {
  const label = countsLabel(counts);
  const shares = LEGEND_KINDS.map((kind) =>
    counts.total > 0 && counts[kind] > 0 ? Math.max(1, (counts[kind] / counts.total) * 100) : 0,
  );
  const scale = shares.reduce((sum, share) => sum + share, 0) / 100 || 1;
  let x = 0;
  return (
    <span className="counts-bar">
      <svg
        className="counts-bar__svg"
        role="img"
        aria-label={label}
        viewBox="0 0 100 8"
        preserveAspectRatio="none"
        focusable="false"
      >
        <title>{label}</title>
        <rect className="counts-bar__track" x="0" y="0" width="100" height="8" />
        {KINDS.map((kind, k) => {
          const width = shares[k]! / scale;
          if (width <= 0) return null;
          const rect = <rect key={kind} className={`counts-bar__${kind}`} x={x} y="0" width={width} height="8" />;
          x += width;
          return rect;
        })}
      </svg>
      {legend ? (
        <span className="counts-bar__legend" aria-hidden="true">
          {LEGEND_KINDS.map((kind) =>
            counts[kind] > 0 || kind === "failed" || kind === "passed" ? (
              <span key={kind} className={`counts-bar__item counts-bar__item--${kind}`}>
                <span className="counts-bar__dot" />
                {formatCount(counts[kind])} {kind}
              </span>
            ) : null,
          )}
        </span>
      ) : null}
    </span>
  );
}
