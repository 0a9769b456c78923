import type { AutomationRun } from "@assay/api";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { automationRun, milestone, source } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";
import { POLL_MS, runsQuery } from "./hooks";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function runsPage(runs: AutomationRun[], total = runs.length, lastPage = 1) {
  return {
    ...page(runs),
    total,
    last_page: runs.length ? lastPage : null,
    next_page: lastPage > 1 ? 2 : null,
    per_page: 25,
    expands: {
      automation_sources: [{ id: 2, name: "frontend-e2e" }],
      milestones: [{ id: 4, name: "Sprint 15" }],
      configs: [{ id: 8, name: "Chrome" }],
    },
  };
}

const RUNS = [
  automationRun({
    id: 75,
    name: "CI build 75",
    status: 3,
    success_count: 90,
    failure_count: 8,
    status5_count: 2,
    total_count: 100,
    milestone_id: 4,
    config_id: 8,
    tags: ["nightly"],
    fields: [
      { type: 1, name: "Commit", value: "0123456789abcdef0123456789abcdef01234567", meta: null, is_highlight: false },
      { type: 1, name: "Branch", value: "main", meta: null, is_highlight: false },
    ],
  }),
  automationRun({ id: 74, name: "nightly <img src=x onerror=alert(1)>" }),
];

function runsApi(runs = RUNS, extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/projects/1/automation/runs": json(runsPage(runs)),
    "GET /api/v1/projects/1/automation/sources": json(page([source()])),
    "GET /api/v1/projects/1/milestones": json(page([milestone()])),
    ...extra,
  });
}

const runsCalls = (server: ReturnType<typeof runsApi>) =>
  server.callsTo("GET /api/v1/projects/1/automation/runs").map((call) => Object.fromEntries(call.search));

describe("the automation runs page", () => {
  it("lists runs with source, status, counts bar, tests, commit and branch, linking to each run", async () => {
    const server = runsApi();
    await renderApp("/projects/1/runs");
    const table = await screen.findByRole("table", { name: "Automation runs" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    const first = within(rows[0]!);
    expect(first.getByRole("link", { name: "CI build 75" }).getAttribute("href")).toBe("/automation/runs/75");
    expect(first.getByText("frontend-e2e")).toBeTruthy();
    expect(first.getByText("Failure")).toBeTruthy();
    expect(first.getByRole("img").getAttribute("aria-label")).toBe("90 passed, 8 failed, 2 skipped, 0 other");
    expect(first.getByText("100")).toBeTruthy();
    expect(first.getByText("01234567").getAttribute("title")).toBe("0123456789abcdef0123456789abcdef01234567");
    expect(first.getByText("main")).toBeTruthy();
    expect(first.getByText("Milestone: Sprint 15")).toBeTruthy();
    expect(first.getByText("Chrome")).toBeTruthy();
    expect(first.getByText("nightly")).toBeTruthy();
    // untrusted names are text
    expect(within(rows[1]!).getByRole("link", { name: "nightly <img src=x onerror=alert(1)>" })).toBeTruthy();
    expect(table.querySelector("img")).toBeNull();
    expect(runsCalls(server)[0]).toEqual({
      page: "1",
      per_page: "25",
      expands: "automation_sources,milestones,configs",
    });
  });

  it("keeps the filters in the URL and sends them to the API; the name filters the page", async () => {
    const server = runsApi();
    const app = await renderApp("/projects/1/runs?status=3&source=2");
    await screen.findByRole("table", { name: "Automation runs" });
    expect(runsCalls(server)[0]).toMatchObject({ status: "3", source_id: "2" });
    expect((screen.getByLabelText("Status") as HTMLSelectElement).value).toBe("3");
    await waitFor(() => expect((screen.getByLabelText("Source") as HTMLSelectElement).value).toBe("2"));

    fireEvent.change(screen.getByLabelText("Milestone"), { target: { value: "4" } });
    await waitFor(() => expect(app.location()).toBe("/projects/1/runs?status=3&source=2&milestone=4"));
    await waitFor(() => expect(runsCalls(server).at(-1)).toMatchObject({ milestone_id: "4", status: "3" }));

    fireEvent.change(screen.getByLabelText("Tags"), { target: { value: "nightly, smoke" } });
    fireEvent.keyDown(screen.getByLabelText("Tags"), { key: "Enter" });
    await waitFor(() => expect(runsCalls(server).at(-1)).toMatchObject({ tags: "nightly,smoke" }));

    fireEvent.change(screen.getByLabelText("Created from"), { target: { value: "2026-05-01" } });
    await waitFor(() =>
      expect(runsCalls(server).at(-1)?.created_after).toBe(new Date("2026-05-01T00:00:00").toISOString()),
    );

    const calls = runsCalls(server).length;
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "build" } });
    await waitFor(() => expect(app.location()).toContain("name=build"));
    const table = screen.getByRole("table", { name: "Automation runs" });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(2));
    expect(within(table).getByRole("link", { name: "CI build 75" })).toBeTruthy();
    // the name is not an API filter: no new request for it
    expect(runsCalls(server).length).toBe(calls);
    expect(screen.getByText("Filters the runs of this page")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1/runs"));
  });

  it("pages through the runs", async () => {
    const server = runsApi();
    server.set({ "GET /api/v1/projects/1/automation/runs": json(runsPage(RUNS, 60, 3)) });
    const app = await renderApp("/projects/1/runs");
    const pages = await screen.findByRole("navigation", { name: "Pages of runs" });
    expect(pages.textContent).toContain("Page 1 of 3");
    fireEvent.click(within(pages).getByRole("button", { name: "Next" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1/runs?page=2"));
    await waitFor(() => expect(runsCalls(server).at(-1)?.page).toBe("2"));
  });

  it("asks again every few seconds while a run is running, and stops when none is", () => {
    const options = runsQuery(1, {});
    const interval = options.refetchInterval as (query: { state: { data: unknown } }) => number | false;
    const data = (runs: AutomationRun[]) => ({ state: { data: { envelope: runsPage(runs) } } });
    expect(interval(data([automationRun({ is_completed: false, status: 4 })]))).toBe(POLL_MS);
    expect(interval(data([automationRun()]))).toBe(false);
    expect(interval({ state: { data: undefined } })).toBe(false);
  });

  it("updates a running run live", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const server = runsApi([automationRun({ id: 80, name: "running build", is_completed: false, status: 4 })]);
      await renderApp("/projects/1/runs");
      await screen.findByText("running build");
      expect(screen.getByText(/updating live/)).toBeTruthy();
      server.set({
        "GET /api/v1/projects/1/automation/runs": json(runsPage([automationRun({ id: 80, name: "running build" })])),
      });
      await vi.advanceTimersByTimeAsync(POLL_MS + 100);
      const table = screen.getByRole("table", { name: "Automation runs" });
      await waitFor(() => expect(within(table).getByText("Success")).toBeTruthy());
      expect(screen.queryByText(/updating live/)).toBeNull();
      const calls = runsCalls(server).length;
      await vi.advanceTimersByTimeAsync(POLL_MS * 3);
      expect(runsCalls(server).length).toBe(calls);
    } finally {
      vi.useRealTimers();
    }
  });

  it("shows a project without runs the exact CLI command, with this instance and the project id", async () => {
    runsApi([]);
    await renderApp("/projects/1/runs");
    await screen.findByRole("heading", { name: "No automation runs yet" });
    const command = document.getElementById("runs-submit-command")!;
    expect(command.textContent).toBe(
      `npx assay automation:run:submit --instance ${window.location.origin} --project-id 1 --name "CI build" --source "backend" --results "reports/**/*.xml" -- npm test`,
    );
    expect(screen.getByRole("link", { name: "API tokens page" }).getAttribute("href")).toBe("/settings/tokens");
    expect(screen.queryByRole("search", { name: "Filter runs" })).toBeNull();
  });

  it("tells filtered-out runs apart from no runs", async () => {
    runsApi([]);
    await renderApp("/projects/1/runs?status=4");
    expect(await screen.findByRole("heading", { name: "No runs match these filters" })).toBeTruthy();
  });
});
