import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { parseTags } from "./hooks";
import { datesLabel } from "./MilestonesPage";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function milestone(overrides: Record<string, unknown> = {}) {
  return {
    id: 5,
    project_id: 1,
    root_id: null,
    parent_id: null,
    type_id: 1,
    name: "Release 5",
    note: null,
    is_started: false,
    is_completed: false,
    start_date: "2026-12-01",
    due_date: "2026-12-24",
    automation_tags: ["release-5"],
    issues: [],
    links: [],
    started_at: null,
    created_at: "2026-01-02T00:00:00.000Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    completed_at: null,
    ...overrides,
  };
}

const stats = { id: 5, success_count: 6, failure_count: 2, status5_count: 1, total_count: 9 };

function answers(allowed: string[]) {
  return {
    ...signedIn([project({ id: 1 })]),
    "GET /api/v1/x/projects/1/permissions": json({ result: { project_id: 1, permissions: 0, allowed } }),
    "GET /api/v1/projects/1/milestones": json({ ...page([milestone()]), expands: { milestone_stats: [stats] } }),
  };
}

describe("the milestones page", () => {
  it("labels dates and reads tags", () => {
    expect(datesLabel({ start_date: null, due_date: "2026-12-24" })).toBe("Due 2026-12-24");
    expect(datesLabel({ start_date: null, due_date: null })).toBe("—");
    expect(parseTags(" a, b ,,a, c ")).toEqual(["a", "b", "c"]);
  });

  it("lists milestones with their dates, tags and progress", async () => {
    const server = fakeApi(answers(["view", "manage_runs"]));
    await renderApp("/projects/1/milestones");
    const table = await screen.findByRole("table", { name: "Milestones" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(within(row).getByRole("link", { name: "Release 5" }).getAttribute("href")).toBe("/milestones/5");
    expect(within(row).getByText("2026-12-01 – 2026-12-24")).toBeTruthy();
    expect(within(row).getByText("release-5")).toBeTruthy();
    expect(within(row).getByRole("img", { name: "6 passed, 2 failed, 1 skipped, 0 other" })).toBeTruthy();
    const query = server.callsTo("GET /api/v1/projects/1/milestones")[0]!.search;
    expect(query.get("is_completed")).toBe("false");
    expect(query.get("expands")).toBe("milestone_stats");
  });

  it("creates a milestone; a refused date is shown next to its field and the input stays", async () => {
    const server = fakeApi({
      ...answers(["view", "manage_runs"]),
      "POST /api/v1/x/projects/1/milestones": failure(422, "The due date is before the start date.", {
        due_date: ["Must be on or after the start date 2026-12-01."],
      }),
    });
    await renderApp("/projects/1/milestones");
    fireEvent.click(await screen.findByRole("button", { name: "New milestone" }));
    const dialog = screen.getByRole("dialog", { name: "New milestone" });
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "Sprint 9" } });
    fireEvent.change(within(dialog).getByLabelText("Start date"), { target: { value: "2026-12-01" } });
    fireEvent.change(within(dialog).getByLabelText("Due date"), { target: { value: "2026-11-01" } });
    fireEvent.change(within(dialog).getByLabelText("Automation tags"), { target: { value: "sprint-9, nightly" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create milestone" }));
    expect(await within(dialog).findByText("Must be on or after the start date 2026-12-01.")).toBeTruthy();
    expect((within(dialog).getByLabelText("Name") as HTMLInputElement).value).toBe("Sprint 9");
    expect(server.callsTo("POST /api/v1/x/projects/1/milestones")[0]!.body).toEqual({
      name: "Sprint 9",
      note: null,
      start_date: "2026-12-01",
      due_date: "2026-11-01",
      automation_tags: ["sprint-9", "nightly"],
    });

    server.set({
      "POST /api/v1/x/projects/1/milestones": json({ result: milestone({ id: 6, name: "Sprint 9" }) }, 201),
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create milestone" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("offers no create or edit to a user who cannot manage milestones", async () => {
    fakeApi(answers(["view", "results"]));
    await renderApp("/projects/1/milestones");
    await screen.findByRole("table", { name: "Milestones" });
    expect(screen.queryByRole("button", { name: /New milestone|Edit/ })).toBeNull();
  });
});
