import { useNavigate } from "@tanstack/react-router";
import { type KeyboardEvent, type MouseEvent, useId, useRef, useState } from "react";
import { type StripCell, stripSummary } from "./history";

/** Slots of the strip: the last 100 results, newest at the right. */
export const STRIP_SLOTS = 100;
const CELL = 10;
const GAP = 2;
const HEIGHT = 32;

/** Height and vertical offset by outcome: failures full height, passes shorter, the rest a stub (not colour alone). */
const SHAPES = {
  failed: { y: 2, height: HEIGHT - 4 },
  passed: { y: 10, height: HEIGHT - 12 },
  neutral: { y: 18, height: HEIGHT - 20 },
} as const;

/**
 * A test's last results as a strip of cells (hand-written SVG), one per result coloured by outcome, newest
 * right. Each cell (an SVG `<a>`, which React's types call an HTMLAnchorElement) is a link to its run with the result in words (tooltip and accessible name). The strip
 * is one stop for the Tab key: ←/→ (Home/End) move between results, Enter opens the run. A sentence
 * above it sums it up for screen readers and everyone.
 */
export function HistoryStrip({ cells, title = "Last results" }: { cells: readonly StripCell[]; title?: string }) {
  const navigate = useNavigate();
  const [active, setActive] = useState(cells.length - 1);
  const [focused, setFocused] = useState(false);
  const [hovered, setHovered] = useState<number | null>(null);
  const links = useRef<(HTMLElement | SVGElement | null)[]>([]);
  const titleId = useId();
  const summaryId = useId();
  const current = Math.min(Math.max(active, 0), cells.length - 1);
  const shown = cells.slice(-STRIP_SLOTS);
  // as wide as its results (the newest at its right end); narrower screens scale it down
  const width = Math.max(shown.length, 1) * (CELL + GAP) - GAP;
  const detail = hovered ?? (focused ? current : null);

  function open(cell: StripCell) {
    void navigate({ to: "/automation/runs/$runId", params: { runId: cell.runId } });
  }

  function onClick(event: MouseEvent<Element>, cell: StripCell) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    open(cell);
  }

  function move(to: number) {
    const next = Math.min(Math.max(to, 0), shown.length - 1);
    setActive(next);
    links.current[next]?.focus();
  }

  function onKeyDown(event: KeyboardEvent<Element>, index: number) {
    const moves: Record<string, number> = {
      ArrowLeft: index - 1,
      ArrowRight: index + 1,
      Home: 0,
      End: shown.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      move(moves[event.key]!);
    } else if (event.key === "Enter") {
      event.preventDefault();
      open(shown[index]!);
    }
  }

  return (
    <section className="history-strip" aria-labelledby={titleId} aria-describedby={summaryId}>
      <h3 id={titleId} className="history-strip__title">
        {title}
      </h3>
      <p id={summaryId} className="history-strip__summary">
        {stripSummary(shown)}
        {shown.length > 1 ? " Use the arrow keys to move between results, Enter to open a result's run." : null}
      </p>
      {shown.length > 0 ? (
        <svg
          className="history-strip__svg"
          viewBox={`0 0 ${width} ${HEIGHT}`}
          width={width}
          height={HEIGHT}
          onMouseLeave={() => setHovered(null)}
        >
          <title>{title}</title>
          {shown.map((cell, index) => {
            const shape = SHAPES[cell.outcome];
            const x = index * (CELL + GAP);
            return (
              <a
                key={cell.id}
                ref={(element) => {
                  links.current[index] = element;
                }}
                href={`/automation/runs/${cell.runId}`}
                aria-label={cell.label}
                tabIndex={index === current ? 0 : -1}
                className="history-strip__cell"
                data-outcome={cell.outcome}
                onClick={(event) => onClick(event, cell)}
                onKeyDown={(event) => onKeyDown(event, index)}
                onFocus={() => {
                  setActive(index);
                  setFocused(true);
                }}
                onBlur={() => setFocused(false)}
                onMouseEnter={() => setHovered(index)}
              >
                <title>{cell.label}</title>
                {/* the whole column is the target, whatever the bar's height */}
                <rect className="history-strip__hit" x={x} y={0} width={CELL} height={HEIGHT} />
                <rect
                  className={`history-strip__bar history-strip__bar--${cell.outcome}`}
                  x={x}
                  y={shape.y}
                  width={CELL}
                  height={shape.height}
                  rx={1}
                />
                {focused && index === current ? (
                  <rect className="history-strip__focus" x={x - 1} y={0.5} width={CELL + 2} height={HEIGHT - 1} />
                ) : null}
              </a>
            );
          })}
        </svg>
      ) : null}
      <p className="history-strip__detail" aria-hidden="true">
        {detail !== null && shown[detail] ? shown[detail].label : "\u00a0"}
      </p>
    </section>
  );
}
