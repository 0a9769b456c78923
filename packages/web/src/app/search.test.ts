import { describe, expect, it } from "vitest";
import { parseSearch, stringifySearch } from "./search";

describe("query strings as plain text", () => {
  it("writes values as text, leaving empty ones out", () => {
    expect(stringifySearch({ status: "3", page: 2, flaky: true, name: "cart total", none: undefined, empty: "" })).toBe(
      "?status=3&page=2&flaky=true&name=cart+total",
    );
    expect(stringifySearch({ source: [1, 2], tags: [] })).toBe("?source=1%2C2");
    expect(stringifySearch({ redirect: "/projects/1/runs?status=3" })).toBe(
      "?redirect=%2Fprojects%2F1%2Fruns%3Fstatus%3D3",
    );
    expect(stringifySearch({})).toBe("");
  });

  it("reads every value as a string", () => {
    expect(parseSearch("?status=3&page=2&name=cart+total&q=%22x%22")).toEqual({
      status: "3",
      page: "2",
      name: "cart total",
      q: '"x"',
    });
    expect(parseSearch("")).toEqual({});
  });
});
