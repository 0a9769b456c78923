import { describe, expect, it } from "vitest";
import {
  commitAndBranch,
  filterByName,
  hasServerFilters,
  isRunning,
  runsApiQuery,
  shortCommit,
  startOfDay,
  submitCommand,
  validateRunsSearch,
} from "./runs-model";

describe("the runs page's URL", () => {
  it("keeps valid filters and drops the rest", () => {
    expect(
      validateRunsSearch({
        page: 3,
        source: "1, 2,2",
        status: "3,9,4",
        tags: " nightly,smoke ",
        milestone: 4,
        after: "2026-05-01",
        before: "2026-13-45",
        name: "  ci ",
      }),
    ).toEqual({
      page: 3,
      source: "1,2",
      status: "3,4",
      tags: "nightly,smoke",
      milestone: "4",
      after: "2026-05-01",
      name: "ci",
    });
    expect(validateRunsSearch({ page: 1, source: "x", status: "7", milestone: "-1", after: "yesterday" })).toEqual({});
    expect(validateRunsSearch({ page: "2.5", name: "" })).toEqual({});
  });

  it("makes the API query: page size, expands, the filters, inclusive days in the browser's zone", () => {
    const query = runsApiQuery({
      page: 2,
      source: "1,2",
      status: "3",
      tags: "a, b ,",
      milestone: "4",
      after: "2026-05-01",
      before: "2026-05-31",
      name: "ci",
    });
    expect(query).toEqual({
      page: 2,
      per_page: 25,
      expands: "automation_sources,milestones,configs",
      source_id: "1,2",
      status: "3",
      tags: "a,b",
      milestone_id: "4",
      created_after: startOfDay("2026-05-01"),
      created_before: startOfDay("2026-06-01"),
    });
    expect(startOfDay("2026-05-31", 1)).toBe(startOfDay("2026-06-01"));
    expect(new Date(startOfDay("2026-05-01")).getDate()).toBe(1);
    expect(runsApiQuery({}).page).toBe(1);
  });

  it("knows when filters are the server's", () => {
    expect(hasServerFilters({ name: "x", page: 2 })).toBe(false);
    expect(hasServerFilters({ tags: "x" })).toBe(true);
  });
});

describe("what the table shows of a run", () => {
  it("filters by name on the page, ignoring case", () => {
    const runs = [{ name: "CI build 41" }, { name: "nightly" }, { name: "ci build 42" }];
    expect(filterByName(runs, " CI ").map((r) => r.name)).toEqual(["CI build 41", "ci build 42"]);
    expect(filterByName(runs, undefined)).toHaveLength(3);
  });

  it("reads commit and branch from string fields named as the server reads them", () => {
    const field = (type: number, name: string, value: string | null) => ({
      type,
      name,
      value,
      meta: null,
      is_highlight: false,
    });
    expect(
      commitAndBranch([
        field(2, "Commit", "not a string field"),
        field(1, "Git Commit", "  "),
        field(1, " SHA ", "0123456789abcdef0123456789abcdef01234567"),
        field(1, "git branch", "feature/x"),
        field(1, "Branch", "main"),
      ]),
    ).toEqual({ commit: "0123456789abcdef0123456789abcdef01234567", branch: "feature/x" });
    expect(commitAndBranch([])).toEqual({ commit: null, branch: null });
    expect(shortCommit("0123456789abcdef0123456789abcdef01234567")).toBe("01234567");
    expect(shortCommit("v1.2.3")).toBe("v1.2.3");
  });

  it("treats open runs as running", () => {
    expect(isRunning({ is_completed: false, status: 2 })).toBe(true);
    expect(isRunning({ is_completed: true, status: 3 })).toBe(false);
  });

  it("writes the CLI command for a project", () => {
    expect(submitCommand("https://assay.example.com", 7)).toBe(
      'npx assay automation:run:submit --instance https://assay.example.com --project-id 7 --name "CI build" --source "backend" --results "reports/**/*.xml" -- npm test',
    );
  });
});
