import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function sessionFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 11,
    project_id: 1,
    template_id: 1,
    name: "Explore checkout",
    config_id: null,
    milestone_id: 5,
    state_id: 1,
    assignee_id: null,
    estimate: null,
    forecast: null,
    elapsed: 90_000_000,
    is_started: true,
    is_closed: false,
    issues: [],
    tags: [],
    untested_count: 0,
    status1_count: 2,
    status2_count: 1,
    success_count: 2,
    failure_count: 1,
    completed_count: 3,
    total_count: 3,
    started_at: "2026-01-02T00:00:00.000Z",
    created_at: "2026-01-02T00:00:00.000Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    closed_at: null,
    closed_by: null,
    ...overrides,
  };
}

const permissions = (allowed: string[]) => json({ result: { project_id: 1, permissions: 0, allowed } });

function sessionsPage(items: unknown[]) {
  return { ...page(items), expands: { milestones: [{ id: 5, name: "Release 5" }], users: [] } };
}

describe("the sessions page", () => {
  it("marks a session not started yet apart from an open one that is under way", async () => {
    fakeApi({
      ...signedIn([project({ id: 1 })]),
      "GET /api/v1/x/projects/1/permissions": permissions(["view"]),
      "GET /api/v1/projects/1/sessions": json(
        sessionsPage([sessionFixture(), sessionFixture({ id: 12, name: "Explore refunds", is_started: false })]),
      ),
      "GET /api/v1/projects/1/milestones": json(page([])),
    });
    await renderApp("/projects/1/sessions");
    const row = (name: string) => screen.getByRole("row", { name: new RegExp(name) });
    await screen.findByRole("link", { name: "Explore refunds" });
    expect(within(row("Explore refunds")).getByText("Not started").className).toBe("chip chip--pending");
    expect(within(row("Explore checkout")).getByText("Open").className).toBe("chip chip--running");
  });

  it("lists open sessions with their milestone, results and time; the state filter lives in the URL", async () => {
    const server = fakeApi({
      ...signedIn([project({ id: 1 })]),
      "GET /api/v1/x/projects/1/permissions": permissions(["view", "results"]),
      "GET /api/v1/projects/1/sessions": json(sessionsPage([sessionFixture()])),
      "GET /api/v1/projects/1/milestones": json(page([])),
    });
    const app = await renderApp("/projects/1/sessions");
    const table = await screen.findByRole("table", { name: "Sessions" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(within(row).getByRole("link", { name: "Explore checkout" }).getAttribute("href")).toBe("/sessions/11");
    expect(within(row).getByRole("link", { name: "Release 5" }).getAttribute("href")).toBe("/milestones/5");
    expect(within(row).getByRole("img", { name: "2 passed, 1 failed, 0 skipped, 0 other" })).toBeTruthy();
    expect(server.callsTo("GET /api/v1/projects/1/sessions")[0]!.search.get("is_closed")).toBe("false");

    fireEvent.click(screen.getByLabelText("Closed"));
    await waitFor(() => expect(app.location()).toBe("/projects/1/sessions?state=closed"));
    await waitFor(() =>
      expect(server.callsTo("GET /api/v1/projects/1/sessions").at(-1)!.search.get("is_closed")).toBe("true"),
    );
  });

  it("starts a session and opens it; a refused name keeps the input and says why next to the field", async () => {
    const server = fakeApi({
      ...signedIn([project({ id: 1 })]),
      "GET /api/v1/x/projects/1/permissions": permissions(["view", "results"]),
      "GET /api/v1/projects/1/sessions": json(sessionsPage([])),
      "GET /api/v1/projects/1/milestones": json(page([{ id: 5, name: "Release 5" }])),
      "POST /api/v1/x/projects/1/sessions": failure(422, "The name is too long.", {
        name: ["Use at most 750 characters."],
      }),
    });
    const app = await renderApp("/projects/1/sessions");
    const form = await screen.findByRole("form", { name: "Start a session" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Explore login" } });
    await within(form).findByRole("option", { name: "Release 5" });
    fireEvent.change(within(form).getByLabelText("Milestone"), { target: { value: "5" } });
    fireEvent.change(within(form).getByLabelText("Charter"), { target: { value: "Find lockouts" } });
    fireEvent.click(within(form).getByRole("button", { name: "Start session" }));
    expect(await within(form).findByText("Use at most 750 characters.")).toBeTruthy();
    expect((within(form).getByLabelText("Name") as HTMLInputElement).value).toBe("Explore login");
    expect(server.callsTo("POST /api/v1/x/projects/1/sessions")[0]!.body).toEqual({
      name: "Explore login",
      charter: "Find lockouts",
      milestone_id: 5,
    });

    server.set({
      "POST /api/v1/x/projects/1/sessions": json({ result: { id: 12 } }, 201),
      "GET /api/v1/x/sessions/12": failure(404, "Session 12 does not exist."),
    });
    fireEvent.click(within(form).getByRole("button", { name: "Start session" }));
    await waitFor(() => expect(app.location()).toBe("/sessions/12"));
  });

  it("shows no start form to a user who may only read", async () => {
    fakeApi({
      ...signedIn([project({ id: 1 })]),
      "GET /api/v1/x/projects/1/permissions": permissions(["view"]),
      "GET /api/v1/projects/1/sessions": json(sessionsPage([])),
    });
    await renderApp("/projects/1/sessions");
    expect(await screen.findByText("Sessions that testers record show up here.")).toBeTruthy();
    expect(screen.queryByRole("form", { name: "Start a session" })).toBeNull();
  });
});
