import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { CountsBar, countsLabel, countsOf } from "./CountsBar";

afterEach(cleanup);

describe("counts bars", () => {
  it("reads Testmo's counters, keeping untested tests apart from the rest", () => {
    const counts = countsOf({
      success_count: 2,
      failure_count: 1,
      status5_count: 1,
      untested_count: 4,
      total_count: 10,
    });
    expect(counts).toEqual({ passed: 2, failed: 1, skipped: 1, untested: 4, other: 2, total: 10 });
    expect(countsLabel(counts)).toBe("2 passed, 1 failed, 1 skipped, 2 other, 4 untested");
    // automation runs have no untested tests: their label is as it was
    expect(countsLabel(countsOf({ success_count: 3, total_count: 3 }))).toBe("3 passed, 0 failed, 0 skipped, 0 other");
  });

  it("draws untested tests as the bare track and names them in the legend", () => {
    const counts = countsOf({ success_count: 1, failure_count: 1, untested_count: 2, total_count: 4 });
    const { container } = render(<CountsBar counts={counts} legend />);
    const drawn = [...container.querySelectorAll("rect:not(.counts-bar__track)")];
    expect(drawn.map((rect) => rect.getAttribute("class"))).toEqual(["counts-bar__failed", "counts-bar__passed"]);
    const width = drawn.reduce((sum, rect) => sum + Number(rect.getAttribute("width")), 0);
    expect(width).toBeCloseTo(50);
    const legend = container.querySelector(".counts-bar__legend")!.textContent;
    expect(legend).toBe("1 failed1 passed2 untested");
  });
});
