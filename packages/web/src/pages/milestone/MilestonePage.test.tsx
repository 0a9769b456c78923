import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { fakeApi, json, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const milestone = {
  id: 5,
  project_id: 1,
  root_id: null,
  parent_id: null,
  type_id: 1,
  name: "Release 5",
  note: "Checkout <b>rework</b>",
  is_started: false,
  is_completed: false,
  start_date: null,
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
};

function item(id: number, name: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name,
    is_done: true,
    created_at: "2026-01-02T00:00:00.000Z",
    untested_count: 0,
    success_count: 2,
    failure_count: 1,
    completed_count: 3,
    total_count: 3,
    status: null,
    tags: [],
    ...extra,
  };
}

const progress = {
  milestone_id: 5,
  totals: { untested_count: 0, success_count: 4, failure_count: 2, status5_count: 0, total_count: 6 },
  manual_runs: { total: 0, done: 0, items: [] },
  sessions: { total: 1, done: 1, items: [item(11, "Explore checkout")] },
  automation_runs: { total: 3, done: 1, items: [item(21, "nightly", { status: 3, tags: ["release-5"] })] },
};

function answers(allowed: string[]) {
  return {
    ...signedIn([project({ id: 1 })]),
    "GET /api/v1/x/projects/1/permissions": json({ result: { project_id: 1, permissions: 0, allowed } }),
    "GET /api/v1/milestones/5": json({ result: milestone, expands: {} }),
    "GET /api/v1/x/milestones/5/progress": json({ result: progress }),
  };
}

describe("the milestone page", () => {
  it("shows progress across sessions and automation runs, each linked to its page", async () => {
    fakeApi(answers(["view"]));
    await renderApp("/milestones/5");
    expect(await screen.findByRole("heading", { name: "Release 5", level: 1 })).toBeTruthy();
    expect(screen.getByText("Checkout <b>rework</b>")).toBeTruthy();
    const automation = await screen.findByRole("region", { name: /Automation runs/ });
    expect(within(automation).getByText("1 of 3 done")).toBeTruthy();
    expect(within(automation).getByRole("link", { name: "nightly" }).getAttribute("href")).toBe("/automation/runs/21");
    expect(within(automation).getByText("Failure")).toBeTruthy();
    expect(within(automation).getByText("Showing the newest 1 of 3.")).toBeTruthy();
    const sessions = screen.getByRole("region", { name: /^Sessions/ });
    expect(within(sessions).getByRole("link", { name: "Explore checkout" }).getAttribute("href")).toBe("/sessions/11");
    expect(screen.getByText("No manual runs linked to this milestone.")).toBeTruthy();
    const totals = screen.getByRole("region", { name: "Progress" });
    expect(within(totals).getByRole("img", { name: "4 passed, 2 failed, 0 skipped, 0 other" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Edit milestone|Complete milestone/ })).toBeNull();
  });

  it("lets a manager complete the milestone", async () => {
    const server = fakeApi({
      ...answers(["view", "manage_runs"]),
      "PATCH /api/v1/x/milestones/5": json({ result: { ...milestone, is_completed: true } }),
    });
    await renderApp("/milestones/5");
    fireEvent.click(await screen.findByRole("button", { name: "Complete milestone" }));
    await screen.findByRole("button", { name: "Reopen milestone" });
    expect(server.callsTo("PATCH /api/v1/x/milestones/5")[0]!.body).toEqual({ is_completed: true });
    await waitFor(() => expect(server.callsTo("GET /api/v1/x/milestones/5/progress").length).toBe(2));
  });
});
