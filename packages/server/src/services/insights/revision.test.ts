import { describe, expect, it } from "vitest";
import { revisionOf } from "./revision.js";

describe("revisionOf", () => {
  it("takes Commit and Branch string fields, whatever their case", () => {
    expect(
      revisionOf([
        { type: 1, name: "Output", value: "x" },
        { type: 1, name: "commit", value: " 3f2a9c1 " },
        { type: 1, name: "BRANCH", value: "main" },
      ]),
    ).toEqual({ commit_sha: "3f2a9c1", branch: "main" });
  });

  it("ignores other field types and empty values, and gives nulls when absent", () => {
    expect(
      revisionOf([
        { type: 4, name: "Commit", value: "abc" },
        { type: 1, name: "Branch", value: "  " },
      ]),
    ).toEqual({ commit_sha: null, branch: null });
  });

  it("on an append, returns only what the fields give, so nothing is erased", () => {
    expect(revisionOf([{ type: 1, name: "Branch", value: "dev" }], { onlyGiven: true })).toEqual({ branch: "dev" });
    expect(revisionOf([], { onlyGiven: true })).toEqual({});
  });
});
