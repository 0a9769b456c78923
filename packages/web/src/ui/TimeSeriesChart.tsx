import "uplot/dist/uPlot.min.css";
import "./charts.css";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import uPlot from "uplot";
import { formatDuration } from "./format";

/**
 * A time-series chart on uPlot (canvas), sized to its container and redrawn when the container or the
 * colour scheme changes; destroyed on unmount. Its colours are the theme's CSS variables, read when it
 * draws. uPlot's own CSS is imported as a file (the CSP forbids inline styles), and this module is only
 * imported by lazily loaded pages, so uPlot never weighs on the first load.
 *
 * The canvas is hidden from assistive technology: the chart is described by its caption, a one-line
 * `summary` and a table of its numbers (in a disclosure), which the caller provides.
 */

/** Colours by role, each a CSS variable of theme.css. */
export const CHART_COLORS = {
  accent: "--accent",
  passed: "--chip-passed-mark",
  failed: "--chip-failed-mark",
  warning: "--chip-warning-mark",
  running: "--chip-running-mark",
  neutral: "--chip-neutral-mark",
  muted: "--text-muted",
} as const;
export type ChartColor = keyof typeof CHART_COLORS;

export interface ChartSeries {
  label: string;
  /** One value per x; null is a gap. */
  values: readonly (number | null)[];
  color: ChartColor;
  /** "line" (default), "dashed" line, "points" only, or "bars". */
  kind?: "line" | "dashed" | "points" | "bars";
}

/** Steps between y ticks for counts: whole numbers 1, 2, 5, 10, 20, 50… */
export const COUNT_INCRS: readonly number[] = Array.from(
  { length: 30 },
  (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3),
);

/** Steps between y ticks for durations in µs: round times (1 ms, 5 s, 30 s, 1 min, 5 min, 1 h…). */
export const DURATION_INCRS: readonly number[] = [
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500].flatMap((n) => [n, n * 1e3]).sort((a, b) => a - b),
  1e6,
  2e6,
  5e6,
  10e6,
  15e6,
  30e6,
  60e6,
  120e6,
  300e6,
  600e6,
  900e6,
  1800e6,
  3600e6,
  7200e6,
  10800e6,
  21600e6,
  43200e6,
  86400e6,
  172800e6,
  604800e6,
];

/** A duration tick: a plain "0" at the origin rather than "0 µs". */
export function formatDurationTick(micros: number): string {
  return micros === 0 ? "0" : formatDuration(micros);
}

export interface TimeSeriesChartProps {
  /** Visible caption, the chart's name. */
  title: string;
  /** One sentence that says what the chart shows (read by screen readers instead of the canvas). */
  summary: ReactNode;
  /** x values: Unix seconds, ascending. */
  x: readonly number[];
  series: readonly ChartSeries[];
  /** Formats y values (legend, and axis unless `formatTick`). */
  formatY: (value: number) => string;
  /** Formats the y axis' ticks. */
  formatTick?: (value: number) => string;
  /** Steps the y ticks may take (e.g. COUNT_INCRS, DURATION_INCRS). */
  yIncrs?: readonly number[];
  /** "day": UTC calendar days (trends); "time": points in time in the browser's zone (results). */
  xKind: "day" | "time";
  /** Lowest y shown (e.g. 0 for counts); the range grows from there. */
  yMin?: number;
  yMax?: number;
  height?: number;
  /** A table of the numbers, shown on demand. */
  table?: ReactNode;
}

/** The value of a CSS custom property on the document, or a fallback. */
export function cssVariable(name: string, fallback = "#888"): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function useColorScheme(): string {
  const [scheme, setScheme] = useState(() => currentScheme());
  useEffect(() => {
    if (typeof window.matchMedia !== "function") return;
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => setScheme(currentScheme());
    query.addEventListener?.("change", onChange);
    return () => query.removeEventListener?.("change", onChange);
  }, []);
  return scheme;
}

function currentScheme(): string {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: dark)").matches
    ? "dark"
    : "light";
}

const FORMATS = {
  day: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }),
  "day-local": new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" }),
  time: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }),
};

/** How an x value is shown: "3 Nov" for days (UTC, or local), "3 Nov, 14:05" for times (local). */
export function formatX(seconds: number, kind: keyof typeof FORMATS): string {
  return FORMATS[kind].format(new Date(seconds * 1000));
}

/** Width of the y axis: its longest tick label plus the tick and gap (uPlot measures with the axis font). */
function axisSize(chart: uPlot, values: string[] | undefined, axisIndex: number, cycle: number): number {
  const axis = chart.axes[axisIndex] as uPlot.Axis & { _size?: number };
  if (cycle > 1 && axis._size) return axis._size;
  const longest = (values ?? []).reduce((a, b) => (b.length > a.length ? b : a), "");
  let size = 20;
  if (longest && chart.ctx) {
    const font = axis.font as unknown;
    if (Array.isArray(font) && typeof font[0] === "string") chart.ctx.font = font[0];
    size += chart.ctx.measureText(longest).width / (window.devicePixelRatio || 1);
  }
  return Math.ceil(size);
}

export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { title, summary, x, series, formatY, formatTick, yIncrs, xKind, yMin, yMax, height = 220, table } = props;
  const container = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();
  const captionId = useId();
  const summaryId = useId();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `scheme` redraws the chart in the other theme's colours
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const width = Math.max(200, Math.floor(element.clientWidth || 600));
    const color = (role: ChartColor) => cssVariable(CHART_COLORS[role]);
    const text = cssVariable("--text-muted", "#666");
    const grid = cssVariable("--border", "#ddd");
    const options: uPlot.Options = {
      width,
      height,
      cursor: { points: { size: 7 }, drag: { x: false, y: false } },
      legend: { live: true },
      scales: {
        x: {
          time: true,
          // one point in time (or one day): half a day either side, not the years uPlot would span
          range: (_u, min, max) => (min === max ? [min - 43_200, max + 43_200] : [min, max]),
        },
        y: {
          range: (_u, min, max) => {
            const low = yMin ?? Math.min(0, min);
            const high = yMax ?? (max > low ? max * 1.1 : low + 1);
            return [low, high];
          },
        },
      },
      axes: [
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          values: (_u, splits, _axis, _space, increment) =>
            splits.map((value) => formatX(value, xKind === "time" && increment >= 86_400 ? "day-local" : xKind)),
          space: 70,
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          values: (_u, splits) => splits.map((value) => (formatTick ?? formatY)(value)),
          incrs: yIncrs ? [...yIncrs] : undefined,
          size: axisSize,
        },
      ],
      series: [
        {
          label: xKind === "day" ? "Day" : "Time",
          value: (_u, value) => (value == null ? "—" : formatX(value, xKind)),
        },
        ...series.map((s): uPlot.Series => {
          const stroke = color(s.color);
          const base: uPlot.Series = {
            label: s.label,
            stroke,
            width: 2,
            value: (_u, value) => (value == null ? "—" : formatY(value)),
          };
          switch (s.kind) {
            case "dashed":
              return { ...base, dash: [6, 4], points: { show: false } };
            case "points":
              return { ...base, paths: () => null, points: { show: true, size: 7, fill: stroke, stroke } };
            case "bars":
              return {
                ...base,
                fill: stroke,
                width: 0,
                paths: uPlot.paths.bars?.({ size: [0.7, 40] }),
                points: { show: false },
              };
            default:
              return { ...base, points: { show: true, size: 5, fill: stroke } };
          }
        }),
      ],
    };
    if (xKind === "day") options.tzDate = (seconds) => uPlot.tzDate(new Date(seconds * 1000), "Etc/UTC");
    const data = [x.slice(), ...series.map((s) => s.values.slice())] as uPlot.AlignedData;
    const chart = new uPlot(options, data, element);

    let frame = 0;
    const observer =
      typeof ResizeObserver === "function"
        ? new ResizeObserver(() => {
            cancelAnimationFrame(frame);
            frame = requestAnimationFrame(() => {
              const next = Math.max(200, Math.floor(element.clientWidth));
              if (next !== chart.width) chart.setSize({ width: next, height });
            });
          })
        : null;
    observer?.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
      chart.destroy();
    };
  }, [x, series, formatY, formatTick, yIncrs, xKind, yMin, yMax, height, scheme]);

  return (
    <figure className="chart" aria-labelledby={captionId} aria-describedby={summaryId}>
      <figcaption id={captionId} className="chart__title">
        {title}
      </figcaption>
      <p id={summaryId} className="chart__summary">
        {summary}
      </p>
      <div ref={container} className="chart__plot" aria-hidden="true" data-testid="chart-plot" />
      {table ? (
        <details className="chart__data">
          <summary>Show the numbers</summary>
          {table}
        </details>
      ) : null}
    </figure>
  );
}
