import { describe, expect, it } from "vitest";
import { historyItem } from "../../test-support/insight-fixtures";
import {
  checkQuarantine,
  durationSeries,
  isoToLocalInput,
  localInputToIso,
  percentile,
  stripCells,
  stripSummary,
} from "./history";

describe("percentile (nearest rank, as the server's elapsed_p95)", () => {
  it("picks the value at ceil(p × n)", () => {
    expect(percentile([], 0.95)).toBeNull();
    expect(percentile([5], 0.95)).toBe(5);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(19);
    expect(
      percentile(
        Array.from({ length: 30 }, (_, i) => 30 - i),
        0.95,
      ),
    ).toBe(29);
  });
});

describe("durationSeries", () => {
  it("keeps timed results oldest first, marks failures and rolls the p95 over the last 30", () => {
    // the API sends newest first
    const history = Array.from({ length: 35 }, (_, i) =>
      historyItem({
        id: 35 - i,
        status: i === 0 ? 3 : 2,
        elapsed: i === 3 ? null : (35 - i) * 1000,
        created_at: new Date(Date.UTC(2026, 10, 1) + (35 - i) * 60_000).toISOString(),
      }),
    );
    const series = durationSeries(history);
    expect(series.x).toHaveLength(34);
    expect(series.elapsed[0]).toBe(1000);
    expect(series.elapsed.at(-1)).toBe(35_000);
    expect(series.failed.at(-1)).toBe(35_000);
    expect(series.failed.slice(0, -1).every((v) => v === null)).toBe(true);
    // the window of the newest point: 30 timed results 35..6 without the untimed 32 → sorted 6..35 minus 32
    expect(series.p95.at(-1)).toBe(34_000);
    expect(series.p95[0]).toBe(1000);
    expect(series.x.every((x, i) => i === 0 || x > series.x[i - 1]!)).toBe(true);
  });

  it("spreads results stored at the same time (the chart needs ascending x)", () => {
    const at = "2026-11-01T10:00:00.000Z";
    const series = durationSeries([historyItem({ id: 2, created_at: at }), historyItem({ id: 1, created_at: at })]);
    expect(series.x[1]).toBeGreaterThan(series.x[0]!);
  });
});

describe("the history strip's cells", () => {
  it("go oldest first, with the result in words", () => {
    const cells = stripCells([
      historyItem({ id: 2, run_id: 11, run_name: "backend #11", status: 3, status_id: 3, message: "boom" }),
      historyItem({ id: 1, run_id: 10, status: 1, status_id: 6, elapsed: null, branch: null, commit_sha: null }),
    ]);
    expect(cells.map((c) => [c.id, c.runId, c.outcome])).toEqual([
      [1, 10, "neutral"],
      [2, 11, "failed"],
    ]);
    expect(cells[0]!.label).toMatch(/^Neither passed nor failed in backend #10 · \d/);
    expect(cells[1]!.label).toMatch(/^Failed in backend #11 · 1 s · .* · main @ 0123456789 · boom$/);
    expect(stripSummary(cells)).toBe(
      "Last 2 results, oldest first: 0 passed, 1 failed, 1 neither passed nor failed. Latest: failed.",
    );
    expect(stripSummary([])).toBe("No results yet.");
  });
});

describe("the quarantine form", () => {
  const now = Date.parse("2026-11-30T12:00:00Z");

  it("needs a reason that is not blank, of at most 1000 characters", () => {
    expect(checkQuarantine({ reason: "  ", expires: "" }, now).errors).toEqual({
      reason: "Say why the test is quarantined.",
    });
    expect(checkQuarantine({ reason: "x".repeat(1001), expires: "" }, now).errors?.reason).toMatch(/At most 1,000/);
  });

  it("sends a trimmed reason, and no expiry as null", () => {
    expect(checkQuarantine({ reason: " flaky, see #12 ", expires: "" }, now)).toEqual({
      body: { reason: "flaky, see #12", expires_at: null },
      errors: null,
    });
  });

  it("turns the local expiry into UTC, and refuses a past one", () => {
    const future = isoToLocalInput("2026-12-24T18:30:00.000Z");
    expect(localInputToIso(future)).toBe("2026-12-24T18:30:00.000Z");
    expect(checkQuarantine({ reason: "r", expires: future }, now).body?.expires_at).toBe("2026-12-24T18:30:00.000Z");
    expect(checkQuarantine({ reason: "r", expires: isoToLocalInput("2026-11-01T00:00:00Z") }, now).errors).toEqual({
      expires_at: "The expiry must be in the future.",
    });
    expect(localInputToIso("")).toBeNull();
    expect(localInputToIso("nonsense")).toBeNull();
    expect(isoToLocalInput(null)).toBe("");
  });
});
