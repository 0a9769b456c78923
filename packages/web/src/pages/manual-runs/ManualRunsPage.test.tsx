import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { manualRun } from "../../test-support/manual-run-fixtures";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function permissions(allowed: string[]) {
  return json({ result: { project_id: 1, permissions: 0, allowed } });
}

const repository = {
  "GET /api/v1/projects/1/folders": json(
    page([
      { id: 1, project_id: 1, repo_id: 1, name: "Checkout", parent_id: null, depth: 0, docs: null, display_order: 1 },
      { id: 2, project_id: 1, repo_id: 1, name: "Cards", parent_id: 1, depth: 1, docs: null, display_order: 1 },
    ]),
  ),
  "GET /api/v1/projects/1/cases": json(
    page([
      { id: 21, name: "Pay by card", folder_id: 2 },
      { id: 22, name: "Pay by invoice", folder_id: 1 },
    ]),
  ),
  "GET /api/v1/projects/1/milestones": json(page([{ id: 5, name: "Sprint 15" }])),
  "GET /api/v1/x/projects/1/configs": json({ result: [{ id: 3, name: "Firefox" }] }),
  "GET /api/v1/projects/1/users": json(
    page([
      { id: 1, name: "Ada Admin" },
      { id: 2, name: "Tess Tester" },
    ]),
  ),
};

describe("the manual runs page", () => {
  it("lists open runs with their progress and forecast; a project manager may create one", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/projects/1/runs": json({
        ...page([manualRun({}, { 1: 1, 2: 2, 3: 1 })]),
        expands: { milestones: [{ id: 5, name: "Sprint 15" }] },
      }),
      "GET /api/v1/x/projects/1/permissions": permissions(["view", "results", "manage_runs"]),
    });
    await renderApp("/projects/1/manual-runs");
    const table = await screen.findByRole("table", { name: "Manual runs" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(within(row).getByRole("link", { name: "Checkout regression" }).getAttribute("href")).toBe("/manual-runs/10");
    expect(within(row).getByText("Milestone: Sprint 15")).toBeTruthy();
    expect(within(row).getByText("3 of 4 tested (75%)")).toBeTruthy();
    expect(within(row).getByText("10 min")).toBeTruthy();
    expect(server.callsTo("GET /api/v1/projects/1/runs")[0]!.search.get("is_closed")).toBe("0");
    expect(await screen.findByRole("link", { name: "New manual run" })).toBeTruthy();
  });

  it("tells a run not started from one in progress by the chip's look, not only its words", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/projects/1/runs": json(
        page([manualRun({ id: 10, name: "Fresh" }), manualRun({ id: 11, name: "Busy", is_started: true })]),
      ),
      "GET /api/v1/x/projects/1/permissions": permissions(["view"]),
    });
    await renderApp("/projects/1/manual-runs");
    const table = await screen.findByRole("table", { name: "Manual runs" });
    const chipOf = (name: string, state: string) =>
      within(within(table).getByRole("row", { name: new RegExp(name) })).getByText(state);
    expect(chipOf("Fresh", "Not started").className).toBe("chip chip--pending");
    expect(chipOf("Busy", "In progress").className).toBe("chip chip--running");
  });

  it("hides creating from users without manage_runs", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/projects/1/runs": json(page([manualRun()])),
      "GET /api/v1/x/projects/1/permissions": permissions(["view", "results"]),
    });
    await renderApp("/projects/1/manual-runs?create=1");
    await screen.findByRole("table", { name: "Manual runs" });
    await waitFor(() => expect(screen.queryByRole("link", { name: "New manual run" })).toBeNull());
    expect(screen.queryByRole("form", { name: "New manual run" })).toBeNull();
  });

  it("says what the filter hides when no run is open, with links to the closed and all runs", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/projects/1/runs": json(page([])),
      "GET /api/v1/x/projects/1/permissions": permissions(["view"]),
    });
    const app = await renderApp("/projects/1/manual-runs");
    const empty = await screen.findByRole("region", { name: "No open manual runs" });
    expect(screen.queryByText("No manual runs yet")).toBeNull();
    expect(within(empty).getByText(/Closed runs are hidden by this filter/)).toBeTruthy();
    expect(within(empty).getByRole("link", { name: "show all runs" }).getAttribute("href")).toBe(
      "/projects/1/manual-runs?state=all",
    );
    fireEvent.click(within(empty).getByRole("link", { name: "Show closed runs" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1/manual-runs?state=closed"));
    const closed = await screen.findByRole("region", { name: "No closed manual runs" });
    expect(server.callsTo("GET /api/v1/projects/1/runs").at(-1)!.search.get("is_closed")).toBe("1");
    expect(within(closed).getByRole("link", { name: "Show open runs" }).getAttribute("href")).toBe(
      "/projects/1/manual-runs",
    );
    fireEvent.click(within(closed).getByRole("link", { name: "show all runs" }));
    expect(await screen.findByRole("region", { name: "No manual runs yet" })).toBeTruthy();
  });

  it("creates a run from a folder with testers; a refusal keeps the input and shows each field's message", async () => {
    const server = fakeApi({
      ...signedIn(),
      ...repository,
      "GET /api/v1/projects/1/runs": json(page([])),
      "GET /api/v1/x/projects/1/permissions": permissions(["view", "results", "manage_runs"]),
      "POST /api/v1/x/projects/1/runs": failure(422, "Some assignees cannot test in this project.", {
        "assignee_ids.0": ["Tess Tester may not add results in project 1."],
      }),
    });
    const app = await renderApp("/projects/1/manual-runs?create=1");
    const form = await screen.findByRole("form", { name: "New manual run" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Release 2.0" } });
    const checkout = await within(form).findByRole("checkbox", { name: /Checkout/ });
    fireEvent.click(checkout);
    // the subfolder comes along: shown checked and disabled
    const cards = within(form).getByRole("checkbox", { name: /Cards/ }) as HTMLInputElement;
    expect(cards.checked && cards.disabled).toBe(true);
    expect(within(form).getByText(/2 cases chosen/)).toBeTruthy();
    fireEvent.click(await within(form).findByRole("checkbox", { name: "Tess Tester" }));
    await within(form).findByRole("option", { name: "Sprint 15" });
    fireEvent.change(within(form).getByLabelText("Milestone"), { target: { value: "5" } });
    fireEvent.change(within(form).getByLabelText("Configuration"), { target: { value: "Firefox" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create run" }));

    expect(await within(form).findByText("Tess Tester may not add results in project 1.")).toBeTruthy();
    expect((within(form).getByLabelText("Name") as HTMLInputElement).value).toBe("Release 2.0");
    expect(server.callsTo("POST /api/v1/x/projects/1/runs")[0]!.body).toEqual({
      name: "Release 2.0",
      milestone_id: 5,
      config_id: 3,
      folder_ids: [1],
      assignee_ids: [2],
    });

    server.set({ "POST /api/v1/x/projects/1/runs": json({ result: manualRun({ id: 44 }) }, 201) });
    fireEvent.click(within(form).getByRole("button", { name: "Create run" }));
    await waitFor(() => expect(app.location()).toMatch(/^\/manual-runs\/44/));
  });
});
