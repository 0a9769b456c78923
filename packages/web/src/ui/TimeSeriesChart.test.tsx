import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeUPlot } from "../test-support/fake-uplot";
import { type ChartSeries, formatDurationTick, formatX, TimeSeriesChart } from "./TimeSeriesChart";

vi.mock("uplot", () => import("../test-support/fake-uplot"));

const observers: { callback: ResizeObserverCallback; target: Element | null; disconnected: boolean }[] = [];

beforeEach(() => {
  FakeUPlot.instances = [];
  observers.length = 0;
  vi.stubGlobal(
    "ResizeObserver",
    class {
      entry: (typeof observers)[number];
      constructor(callback: ResizeObserverCallback) {
        this.entry = { callback, target: null, disconnected: false };
        observers.push(this.entry);
      }
      observe(target: Element) {
        this.entry.target = target;
      }
      disconnect() {
        this.entry.disconnected = true;
      }
    },
  );
  vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => {
    callback(0);
    return 1;
  });
  document.documentElement.style.setProperty("--accent", "#123456");
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  document.documentElement.style.removeProperty("--accent");
});

const X = [1_700_000_000, 1_700_086_400];
const SERIES: ChartSeries[] = [{ label: "Tests", values: [3, 5], color: "accent" }];
const format = (value: number) => `${value} tests`;

function renderChart() {
  return render(
    <TimeSeriesChart
      title="Tests per day"
      summary="8 tests in 2 days."
      x={X}
      series={SERIES}
      formatY={format}
      xKind="day"
      table={<p>the numbers</p>}
    />,
  );
}

describe("TimeSeriesChart", () => {
  it("draws with uPlot at its container's width, in the theme's colours, described in text", () => {
    renderChart();
    const chart = FakeUPlot.instances[0]!;
    expect(chart.target.getAttribute("aria-hidden")).toBe("true");
    expect(chart.width).toBeGreaterThanOrEqual(200);
    expect(chart.options.series[1]!.stroke).toBe("#123456");
    expect(chart.data).toEqual([X, [3, 5]]);
    const figure = screen.getByRole("figure", { name: "Tests per day" });
    expect(figure.getAttribute("aria-describedby")).toBe(screen.getByText("8 tests in 2 days.").id);
    expect(screen.getByText("Show the numbers")).toBeTruthy();
  });

  it("follows its container's size and is destroyed on unmount", () => {
    const view = renderChart();
    const chart = FakeUPlot.instances[0]!;
    const observer = observers[0]!;
    expect(observer.target).toBe(chart.target);
    Object.defineProperty(chart.target, "clientWidth", { configurable: true, value: 777 });
    act(() => observer.callback([], {} as ResizeObserver));
    expect(chart.width).toBe(777);
    view.unmount();
    expect(chart.destroyed).toBe(true);
    expect(observer.disconnected).toBe(true);
  });

  it("formats days in UTC", () => {
    expect(formatX(Date.UTC(2026, 10, 3) / 1000, "day")).toBe("3 Nov");
  });
});

describe("formatDurationTick", () => {
  it.each([
    [0, "0"],
    [120_000_000, "2 min"],
    [3_600_000_000, "1 h"],
    [1_500_000, "1.5 s"],
  ])("%s µs → %s", (micros, text) => {
    expect(formatDurationTick(micros)).toBe(text);
  });
});
