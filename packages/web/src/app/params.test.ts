import { describe, expect, it } from "vitest";
import { parseId, safeRedirect } from "./params";

describe("safeRedirect: only paths of this site", () => {
  it.each([
    ["/projects/2/runs?status=3", "/projects/2/runs?status=3"],
    ["/automation/runs/5#tests", "/automation/runs/5#tests"],
    ["/", "/"],
    [undefined, "/projects"],
    [42, "/projects"],
    ["projects", "/projects"],
    ["https://evil.example/", "/projects"],
    ["//evil.example/x", "/projects"],
    ["/\\evil.example", "/projects"],
    ["/\t/evil.example", "/projects"],
    ["/\n/evil.example", "/projects"],
    ["/sign-in", "/projects"],
    ["/sign-in?redirect=%2Fx", "/projects"],
    ["/sign-in-help", "/sign-in-help"],
  ])("%j → %s", (target, expected) => {
    expect(safeRedirect(target)).toBe(expected);
  });
});

describe("parseId", () => {
  it.each([
    ["1", 1],
    ["2147483647", 2147483647],
    ["2147483648", null],
    ["0", null],
    ["01", null],
    ["-1", null],
    ["1.5", null],
    ["abc", null],
    ["", null],
    [undefined, null],
  ])("%j → %s", (value, id) => {
    expect(parseId(value)).toBe(id);
  });
});
