import { describe, expect, it } from "vitest";
import { formatCount, formatDuration, formatPercent, formatRelative, formatWait } from "./format";

describe("formatDuration: API microseconds as people read them", () => {
  it.each([
    [null, "—"],
    [undefined, "—"],
    [0, "0 µs"],
    [850, "850 µs"],
    [1_000, "1 ms"],
    [1_250, "1.3 ms"],
    [340_000, "340 ms"],
    [999_400, "999 ms"],
    [1_000_000, "1 s"],
    [1_234_567, "1.2 s"],
    [12_345_678, "12 s"],
    [59_960_000, "1 min"],
    [60_000_000, "1 min"],
    [245_000_000, "4 min 5 s"],
    [2_340_000_000, "39 min"],
    [3_600_000_000, "1 h"],
    [3_900_000_000, "1 h 5 min"],
    [7_380_000_000, "2 h 3 min"],
  ])("%s µs → %s", (micros, text) => {
    expect(formatDuration(micros)).toBe(text);
  });
});

describe("formatRelative", () => {
  const now = new Date("2026-05-10T12:00:00Z");
  it.each([
    ["2026-05-10T11:59:40Z", "just now"],
    ["2026-05-10T11:55:00Z", "5 minutes ago"],
    ["2026-05-10T09:00:00Z", "3 hours ago"],
    ["2026-05-09T12:00:00Z", "yesterday"],
    ["2026-05-13T12:00:00Z", "in 3 days"],
    ["2026-03-01T12:00:00Z", "2 months ago"],
    ["not a date", "—"],
  ])("%s → %s", (value, text) => {
    expect(formatRelative(value, now)).toBe(text);
  });
});

describe("counts, percents and waits", () => {
  it("formats them", () => {
    expect(formatCount(100000)).toBe("100,000");
    expect(formatCount(null)).toBe("—");
    expect(formatPercent(12.5)).toBe("12.5%");
    expect(formatPercent(100)).toBe("100%");
    expect(formatWait(1)).toBe("1 second");
    expect(formatWait(45)).toBe("45 seconds");
    expect(formatWait(61)).toBe("2 minutes");
    expect(formatWait(3900)).toBe("1 hour 5 minutes");
  });
});
