import type uPlot from "uplot";

/**
 * A stand-in for uPlot in component tests (happy-dom has no canvas): records each chart's options, data,
 * size and whether it was destroyed. Use with
 * `vi.mock("uplot", () => import("../../test-support/fake-uplot"))`.
 */
export class FakeUPlot {
  static instances: FakeUPlot[] = [];
  static paths = { bars: () => () => null };
  static tzDate(date: Date): Date {
    return date;
  }

  destroyed = false;
  width: number;
  height: number;

  constructor(
    readonly options: uPlot.Options,
    readonly data: uPlot.AlignedData,
    readonly target: HTMLElement,
  ) {
    this.width = options.width;
    this.height = options.height;
    FakeUPlot.instances.push(this);
  }

  setSize({ width, height }: { width: number; height: number }) {
    this.width = width;
    this.height = height;
  }

  destroy() {
    this.destroyed = true;
  }

  /** The labels of its series (without the x series). */
  get labels(): string[] {
    return this.options.series.slice(1).map((series) => String(series.label));
  }
}

export default FakeUPlot;
