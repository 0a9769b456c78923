import { describe, expect, it } from "vitest";
import { csvIds, csvNames, MAX_LIST_VALUES, normaliseDatetime, queryDatetime } from "./query.js";

describe("normaliseDatetime", () => {
  it("normalises every zone form to UTC with milliseconds", () => {
    expect(normaliseDatetime("2024-05-01T02:00:00+02:00")).toBe("2024-05-01T00:00:00.000Z");
    expect(normaliseDatetime("2024-05-01T02:00:00+0200")).toBe("2024-05-01T00:00:00.000Z");
    expect(normaliseDatetime("2024-05-01T02:00:00+02")).toBe("2024-05-01T00:00:00.000Z");
    expect(normaliseDatetime("2024-05-01t00:00:00z")).toBe("2024-05-01T00:00:00.000Z");
    expect(normaliseDatetime("2024-05-01 00:00:00.123456789Z")).toBe("2024-05-01T00:00:00.123Z");
    expect(normaliseDatetime("0050-01-01T00:00:00Z")).toBe("0050-01-01T00:00:00.000Z");
  });

  it("takes a leap second as the last millisecond of its minute", () => {
    expect(normaliseDatetime("2024-01-01T23:59:60Z")).toBe("2024-01-01T23:59:59.999Z");
    expect(normaliseDatetime("2016-12-31T23:59:60.5Z")).toBe("2016-12-31T23:59:59.999Z");
    expect(normaliseDatetime("2024-01-02T00:59:60+01:00")).toBe("2024-01-01T23:59:59.999Z");
  });

  it("refuses instants outside years 0000–9999 in UTC and dates that do not exist", () => {
    expect(normaliseDatetime("9999-12-31T23:59:59-23:59")).toBeNull();
    expect(normaliseDatetime("0000-01-01T00:00:00+00:01")).toBeNull();
    expect(normaliseDatetime("9999-12-31T23:59:59+23:59")).toBe("9999-12-31T00:00:59.000Z");
    expect(normaliseDatetime("0000-01-01T00:00:00Z")).toBe("0000-01-01T00:00:00.000Z");
    for (const bad of ["2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01", "x"]) {
      expect(normaliseDatetime(bad), bad).toBeNull();
    }
  });

  it("is a 422 naming the parameter through queryDatetime", () => {
    expect(() => queryDatetime("9999-12-31T23:59:59-23:59", "created_after")).toThrow(/created_after parameter/);
    expect(queryDatetime(undefined, "created_after")).toBeUndefined();
  });
});

describe("list parameters", () => {
  it("bounds every list and refuses one of only blanks", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(",");
    expect(csvIds(ids(MAX_LIST_VALUES), "created_by")).toHaveLength(MAX_LIST_VALUES);
    expect(() => csvIds(ids(MAX_LIST_VALUES + 1), "created_by")).toThrow(`at most ${MAX_LIST_VALUES}`);
    expect(csvNames(" a, ,b,a", "tags")).toEqual(["a", "b"]);
    expect(() => csvNames(" , ", "tags")).toThrow("tags parameter names nothing");
  });
});
