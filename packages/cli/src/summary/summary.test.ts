import type { ComparedTest, RunComparison } from "@assay/api";
import { describe, expect, it } from "vitest";
import { readComparison } from "./comparison.js";
import { exitCodeFromResults, exitCodeMode } from "./exit-code.js";
import {
  escapeMarkdown,
  formatDuration,
  MARKDOWN_BUDGET,
  singleLine,
  summaryLines,
  summaryMarkdown,
  unavailableMarkdown,
} from "./render.js";

function compared(name: string, overrides: Partial<ComparedTest> = {}): ComparedTest {
  return {
    automation_case_id: 1,
    name,
    folder: "unit.Cart",
    status_id: 3,
    baseline_status_id: 2,
    elapsed: 2_500_000,
    baseline_elapsed: 1_200_000,
    message: "expected 1 to be 2\n    at Cart.test (cart.test.ts:10)",
    failure_group_id: 5,
    is_quarantined: false,
    ...overrides,
  };
}

function comparison(overrides: Partial<RunComparison> = {}): RunComparison {
  const run = {
    id: 42,
    name: "CI build 42",
    source_id: 1,
    config_id: null,
    commit_sha: null,
    branch: "main",
    is_completed: true,
    created_at: "2025-01-01T00:00:00.000000Z",
  };
  return {
    run,
    baseline: { ...run, id: 41, name: "CI build 41" },
    baseline_rule: "same_branch_and_config",
    counts: { new_failures: 12, still_failing: 1, fixed: 1, new_tests: 3, gone_tests: 0, slower: 1 },
    failures: { total: 13, quarantined: 1, unquarantined: 12 },
    tests: {
      new_failures: [compared("adds an item"), compared("removes an item", { is_quarantined: true, message: null })],
      still_failing: [],
      fixed: [compared("applies a coupon", { status_id: 2, baseline_status_id: 3 })],
      new_tests: [],
      gone_tests: [],
      slower: [compared("checks out", { status_id: 2 })],
    },
    ...overrides,
  };
}

describe("exit code rule (--exit-code from-results)", () => {
  const table: [string, number, RunComparison["failures"], number][] = [
    ["unquarantined failure, child failed: child's code", 3, { total: 2, quarantined: 0, unquarantined: 2 }, 3],
    ["unquarantined failure, child passed: 1", 0, { total: 1, quarantined: 0, unquarantined: 1 }, 1],
    ["some quarantined, one not: still failing", 1, { total: 3, quarantined: 2, unquarantined: 1 }, 1],
    ["all failures quarantined, child failed: 0", 1, { total: 2, quarantined: 2, unquarantined: 0 }, 0],
    ["all failures quarantined, child killed by a signal: 0", 137, { total: 1, quarantined: 1, unquarantined: 0 }, 0],
    ["all failures quarantined, child passed: 0", 0, { total: 1, quarantined: 1, unquarantined: 0 }, 0],
    ["no failures, child crashed: child's code", 2, { total: 0, quarantined: 0, unquarantined: 0 }, 2],
    ["no failures, child passed: 0", 0, { total: 0, quarantined: 0, unquarantined: 0 }, 0],
  ];
  it.each(table)("%s", (_label, child, failures, expected) => {
    expect(exitCodeFromResults(child, failures).code).toBe(expected);
  });

  it("explains the decision", () => {
    expect(exitCodeFromResults(1, { total: 1, quarantined: 1, unquarantined: 0 }).reason).toBe(
      "the failed test is quarantined",
    );
    expect(exitCodeFromResults(0, { total: 3, quarantined: 1, unquarantined: 2 }).reason).toBe(
      "2 failed tests are not quarantined",
    );
  });

  it("accepts child (the default) and from-results only", () => {
    expect(exitCodeMode(undefined)).toBe("child");
    expect(exitCodeMode(" from-results ")).toBe("from-results");
    expect(() => exitCodeMode("results")).toThrow(
      'Invalid --exit-code value "results": allowed values are child, from-results',
    );
  });
});

describe("Markdown escaping", () => {
  it("turns HTML into entities and backslash-escapes Markdown punctuation", () => {
    expect(escapeMarkdown("<img src=x onerror=alert(1)>")).toBe("&lt;img src\\=x onerror\\=alert\\(1\\)&gt;");
    expect(escapeMarkdown('a & b "c"')).toBe("a &amp; b &quot;c&quot;");
    expect(escapeMarkdown("| col | `code` [link](http://x) *b* _i_ ~s~")).toBe(
      "\\| col \\| \\`code\\` \\[link\\]\\(http\\://x\\) \\*b\\* \\_i\\_ \\~s\\~",
    );
    expect(escapeMarkdown("# heading !img $x$ \\")).toBe("\\# heading \\!img \\$x\\$ \\\\");
    expect(escapeMarkdown("plain words, 123; 50% ünïcode › — a/b?")).toBe("plain words, 123; 50% ünïcode › — a/b?");
    expect(escapeMarkdown("see www.evil.test or https://evil.test")).toBe(
      "see www\\.evil\\.test or https\\://evil\\.test",
    );
    expect(escapeMarkdown("- item\n+ item 1. x")).toBe("\\- item \\+ item 1\\. x");
  });

  it("keeps everything on one line without control characters", () => {
    expect(escapeMarkdown("line1\n## line2\r\n\u001b[31mred")).toBe("line1 \\#\\# line2 \\[31mred");
    expect(singleLine("a\u0000b\u2028c\td")).toBe("a b c d");
  });
});

describe("summary text", () => {
  it("prints the address, baseline, counts and lists", () => {
    const lines = summaryLines(comparison(), "http://assay.test/automation/runs/42");
    expect(lines).toEqual([
      "Run: http://assay.test/automation/runs/42",
      'Baseline: run 41 "CI build 41", latest completed run of the same source, branch and configuration',
      "Counts: new failures 12, still failing 1, fixed 1, new tests 3, gone tests 0, slower 1",
      "Failed tests: 13 (1 quarantined)",
      "New failures:",
      "  unit.Cart › adds an item — expected 1 to be 2",
      "  unit.Cart › removes an item [quarantined]",
      "  … and 10 more",
      "Fixed:",
      "  unit.Cart › applies a coupon",
      "Slower:",
      "  unit.Cart › checks out: 1.20 s → 2.50 s",
    ]);
  });

  it("says when there is no baseline and strips terminal escapes from names", () => {
    const lines = summaryLines(
      comparison({
        baseline: null,
        baseline_rule: "none",
        counts: { new_failures: 1, still_failing: 0, fixed: 0, new_tests: 1, gone_tests: 0, slower: 0 },
        failures: { total: 1, quarantined: 0, unquarantined: 1 },
        tests: {
          new_failures: [compared("evil\u001b[2J\nname", { folder: "" })],
          still_failing: [],
          fixed: [],
          new_tests: [],
          gone_tests: [],
          slower: [],
        },
      }),
      "http://a/automation/runs/42",
    );
    expect(lines[1]).toBe("Baseline: no baseline (no earlier completed run to compare with)");
    expect(lines[3]).toBe("Failed tests: 1");
    expect(lines).toContain("  evil [2J name — expected 1 to be 2");
  });

  it("formats durations", () => {
    expect(formatDuration(850)).toBe("0.85 ms");
    expect(formatDuration(12_300)).toBe("12 ms");
    expect(formatDuration(2_500_000)).toBe("2.50 s");
    expect(formatDuration(75_000_000)).toBe("1 min 15 s");
    expect(formatDuration(null)).toBe("?");
  });
});

describe("summary Markdown", () => {
  it("has a heading linking to the run, the baseline, a counts table and escaped lists", () => {
    const markdown = summaryMarkdown(
      comparison({
        tests: {
          ...comparison().tests,
          new_failures: [compared("renders <b>bold</b> | pipes", { message: "got `[x](javascript:y)` & *z*" })],
        },
      }),
      "http://assay.test",
    );
    expect(markdown).toBe(
      [
        "### Assay: [CI build 42 (run 42)](http://assay.test/automation/runs/42)",
        "",
        "Compared with [CI build 41 (run 41)](http://assay.test/automation/runs/41), the latest completed run of the same source, branch and configuration.",
        "",
        "| New failures | Still failing | Fixed | New tests | Gone tests | Slower | Failed tests |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        "| 12 | 1 | 1 | 3 | 0 | 1 | 13 (1 quarantined) |",
        "",
        "#### New failures",
        "",
        "- unit\\.Cart › renders &lt;b&gt;bold&lt;/b&gt; \\| pipes — got \\`\\[x\\]\\(javascript\\:y\\)\\` &amp; \\*z\\*",
        "- … and 11 more",
        "",
        "#### Fixed",
        "",
        "- unit\\.Cart › applies a coupon",
        "",
        "#### Slower",
        "",
        "- unit\\.Cart › checks out: 1.20 s → 2.50 s",
        "",
      ].join("\n"),
    );
  });

  it("stays bounded whatever the names hold", () => {
    const huge = `<|${'"'.repeat(10_000)}`;
    const many = Array.from({ length: 10 }, () => compared(huge, { folder: huge, message: huge }));
    const markdown = summaryMarkdown(
      comparison({ tests: { ...comparison().tests, new_failures: many, fixed: many, slower: many } }),
      "http://a",
    );
    expect(markdown.length).toBeLessThan(MARKDOWN_BUDGET + 200);
    expect(markdown).toContain("_The summary was shortened to stay small._");
    expect(markdown).not.toContain("<");
    const items = markdown.split("\n").filter((line) => line.startsWith("- "));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item).not.toMatch(/(?<!\\)\|/);
  });

  it("says why when the comparison is unavailable", () => {
    expect(unavailableMarkdown("http://a", 7, "Server response (404): Not found")).toBe(
      "### Assay: [run 7](http://a/automation/runs/7)\n\nSummary unavailable: Server response \\(404\\)\\: Not found\n",
    );
  });
});

describe("reading the comparison answer", () => {
  it("accepts the documented shape and tolerates missing lists", () => {
    const full = comparison();
    expect(readComparison({ result: full })).toEqual(full);
    const { tests: _tests, ...withoutTests } = full;
    expect(readComparison({ result: withoutTests })?.tests.new_failures).toEqual([]);
  });

  it("refuses answers the summary and the exit code cannot rely on", () => {
    expect(readComparison(undefined)).toBeUndefined();
    expect(readComparison({ result: [] })).toBeUndefined();
    expect(readComparison({ result: { ...comparison(), failures: { total: 1 } } })).toBeUndefined();
    expect(readComparison({ result: { ...comparison(), counts: { new_failures: -1 } } })).toBeUndefined();
  });
});
