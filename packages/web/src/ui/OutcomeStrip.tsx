import "./insights.css";
import { describeOutcomes, parseOutcomes } from "./insights";

/**
 * A test's latest passed/failed outcomes (`recent_outcomes`, oldest left) as a tiny SVG strip: failures
 * are tall red bars, passes short green ones (height tells them apart without colour), and a result that
 * contradicted an earlier one on the same commit has a mark above it. Read as one sentence by screen
 * readers (`role="img"`).
 */
export function OutcomeStrip({ outcomes, max = 30 }: { outcomes: string; max?: number }) {
  const all = parseOutcomes(outcomes);
  const shown = all.slice(-max);
  const label = describeOutcomes(shown);
  if (shown.length === 0) return <span className="muted">No results</span>;
  const cell = 4;
  const width = shown.length * cell;
  return (
    <svg
      className="outcome-strip"
      role="img"
      aria-label={label}
      width={width}
      height={20}
      viewBox={`0 0 ${width} 20`}
      focusable="false"
    >
      <title>{label}</title>
      {shown.map((entry, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positions of a fixed sequence
        <g key={index}>
          <rect
            className={`outcome-strip__bar outcome-strip__bar--${entry.outcome}`}
            x={index * cell}
            y={entry.outcome === "failed" ? 5 : 11}
            width={cell - 1}
            height={entry.outcome === "failed" ? 15 : 9}
          />
          {entry.sameCommit ? (
            <rect className="outcome-strip__mark" x={index * cell} y={0} width={cell - 1} height={3} />
          ) : null}
        </g>
      ))}
    </svg>
  );
}
