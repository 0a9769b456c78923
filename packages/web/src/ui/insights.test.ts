import { describe, expect, it } from "vitest";
import {
  describeOutcomes,
  flakyReasonTexts,
  formatChange,
  parseOutcomes,
  plural,
  shortSha,
  splitPlaceholders,
} from "./insights";
import { enumParam, orderParam, positiveIntParam, textParam } from "./search-params";
import { nextUrlSort, sortParams, toSortingState } from "./url-sort";

describe("recent outcomes", () => {
  it("reads P/F, lower case marking a contradiction on the same commit", () => {
    expect(parseOutcomes("PFpf?")).toEqual([
      { outcome: "passed", sameCommit: false },
      { outcome: "failed", sameCommit: false },
      { outcome: "passed", sameCommit: true },
      { outcome: "failed", sameCommit: true },
    ]);
  });

  it("sums them up in words", () => {
    expect(describeOutcomes(parseOutcomes("PPFpP"))).toBe(
      "5 recent results, oldest first: 4 passed, 1 failed (1 contradicted a result on the same commit); latest passed.",
    );
    expect(describeOutcomes(parseOutcomes("F"))).toBe(
      "1 recent result, oldest first: 0 passed, 1 failed; latest failed.",
    );
    expect(describeOutcomes([])).toBe("No passed or failed results yet.");
  });
});

describe("flaky reasons in words", () => {
  it("says each reason with the project's window and threshold", () => {
    const texts = flakyReasonTexts(
      { flaky_reasons: ["same_commit", "flip_rate"], flaky_percent: 62 },
      { flaky_window: 20, flaky_threshold_percent: 15, flaky_min_results: 5 },
    );
    expect(texts).toEqual([
      "It both passed and failed on the same commit among its last 20 results (a retry that passed after failing, or the reverse).",
      "Its outcome changed between consecutive results 62% of the time over its last 20 results (flaky from 15%).",
    ]);
  });
});

describe("formatting", () => {
  it.each([
    [null, "—"],
    [0, "±0%"],
    [52, "+52%"],
    [-29, "−29%"],
    [1500, "+1,500%"],
  ])("change %s → %s", (value, text) => {
    expect(formatChange(value)).toBe(text);
  });

  it("shortens full SHAs only", () => {
    expect(shortSha("0123456789abcdef0123456789abcdef01234567")).toBe("0123456789");
    expect(shortSha("1f2e3d4d")).toBe("1f2e3d4d");
    expect(shortSha(null)).toBe("");
  });

  it("counts nouns", () => {
    expect(plural(1, "test")).toBe("1 test");
    expect(plural(1200, "test")).toBe("1,200 tests");
  });
});

describe("normalised messages", () => {
  it("splits the placeholders from the text", () => {
    expect(splitPlaceholders("expected: <<num>> but was: <<num>>")).toEqual([
      { text: "expected: <" },
      { placeholder: "num" },
      { text: "> but was: <" },
      { placeholder: "num" },
      { text: ">" },
    ]);
    expect(splitPlaceholders("<str>")).toEqual([{ placeholder: "str" }]);
    expect(splitPlaceholders("<script>alert(1)</script>")).toEqual([{ text: "<script>alert(1)</script>" }]);
  });
});

describe("URL search params", () => {
  it("keep valid values only", () => {
    expect(enumParam("name", ["name", "flaky_percent"])).toBe("name");
    expect(enumParam("drop table", ["name"])).toBeUndefined();
    expect(positiveIntParam(2)).toBe(2);
    expect(positiveIntParam("3")).toBe(3);
    expect(positiveIntParam(0)).toBeUndefined();
    expect(positiveIntParam(1.5)).toBeUndefined();
    expect(textParam(123)).toBe("123");
    expect(textParam("  ")).toBeUndefined();
    expect(textParam({})).toBeUndefined();
    expect(orderParam("asc")).toBe("asc");
    expect(orderParam("up")).toBeUndefined();
  });
});

describe("sorting held in the URL", () => {
  const first = (sort: string) => (sort === "name" ? "asc" : "desc");
  it("flips the sorted column and starts another in its first order", () => {
    const current = { sort: "flaky_percent", order: "desc" } as const;
    expect(toSortingState(current)).toEqual([{ id: "flaky_percent", desc: true }]);
    expect(nextUrlSort(current, [{ id: "flaky_percent", desc: false }], first)).toEqual({
      sort: "flaky_percent",
      order: "asc",
    });
    expect(nextUrlSort(current, [], first)).toEqual({ sort: "flaky_percent", order: "asc" });
    expect(nextUrlSort(current, [{ id: "name", desc: true }], first)).toEqual({ sort: "name", order: "asc" });
  });

  it("leaves defaults out of the URL", () => {
    expect(sortParams({ sort: "flaky_percent", order: "desc" }, "flaky_percent", first)).toEqual({
      sort: undefined,
      order: undefined,
    });
    expect(sortParams({ sort: "name", order: "desc" }, "flaky_percent", first)).toEqual({
      sort: "name",
      order: "desc",
    });
  });
});
