import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { FakeUPlot } from "../../test-support/fake-uplot";
import {
  automationRun,
  failureGroup,
  insightCase,
  milestone,
  source,
  trendDay,
} from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";
import { dueText } from "./ProjectDashboardPage";

vi.mock("uplot", () => import("../../test-support/fake-uplot"));

beforeEach(() => {
  FakeUPlot.instances = [];
});

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function dashboardApi(overrides: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/projects/1/automation/runs": json({
      ...page([
        automationRun(),
        automationRun({
          id: 73,
          name: "backend-unit #30",
          source_id: 1,
          status: 3,
          failure_count: 2,
          success_count: 38,
          total_count: 40,
        }),
      ]),
      expands: {
        automation_sources: [
          { id: 1, name: "backend-unit" },
          { id: 2, name: "frontend-e2e" },
        ],
      },
    }),
    "GET /api/v1/x/projects/1/automation/trends": json({
      result: [trendDay(), trendDay({ source_id: 1, success_count: 10, failure_count: 10, test_count: 20 })],
    }),
    "GET /api/v1/x/projects/1/automation/cases": (call) =>
      json(
        page(
          call.search.get("flaky") === "true"
            ? [insightCase()]
            : [insightCase({ id: 9, name: "slow checkout", elapsed_average: 65_000_000 })],
        ),
      ),
    "GET /api/v1/x/projects/1/failure-groups": json(page([failureGroup()])),
    "GET /api/v1/projects/1/milestones": json(page([milestone()])),
    "GET /api/v1/projects/1/automation/sources": json(page([source(), source({ id: 1, name: "backend-unit" })])),
    ...overrides,
  });
}

function section(name: string) {
  return screen.getByRole("region", { name });
}

describe("the project dashboard", () => {
  it("shows recent runs, trends, flakiest and slowest tests, newest failure groups and milestones", async () => {
    const server = dashboardApi();
    await renderApp("/projects/1");
    expect(await screen.findByRole("heading", { level: 1, name: "Dashboard" })).toBeTruthy();

    const runs = await within(section("Recent runs")).findByRole("table", { name: "Recent automation runs" });
    const rows = within(runs).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByRole("link", { name: "frontend-e2e #30" }).getAttribute("href")).toBe(
      "/automation/runs/74",
    );
    expect(within(rows[1]!).getByText("backend-unit")).toBeTruthy();
    expect(within(rows[1]!).getByText("Failure")).toBeTruthy();
    expect(within(rows[1]!).getByRole("img").getAttribute("aria-label")).toBe(
      "38 passed, 2 failed, 0 skipped, 0 other",
    );

    // trends: summed over the sources, three charts described in words
    await within(section("Trends")).findByRole("figure", { name: "Pass rate per day" });
    expect(section("Trends").textContent).toContain("All sources, summed per day");
    // 46 passed of 60 decided today
    expect(screen.getByText(/^Passed ÷ \(passed \+ failed\) results: 76\.7% over the last 30 days/)).toBeTruthy();
    expect(FakeUPlot.instances.map((chart) => chart.labels)).toEqual([
      ["Pass rate"],
      ["Results", "Failed"],
      ["Test time", "Wall time"],
    ]);
    expect(FakeUPlot.instances[0]!.data[0]).toHaveLength(30);
    expect(FakeUPlot.instances[1]!.data[1]!.at(-1)).toBe(60);
    expect(server.callsTo("GET /api/v1/x/projects/1/automation/trends")[0]!.search.toString()).toBe("days=30");

    const flaky = section("Flakiest tests");
    expect(within(flaky).getByRole("link", { name: "account (flaky) case 4" }).getAttribute("href")).toBe(
      "/automation/cases/45",
    );
    expect(within(flaky).getByText("62%")).toBeTruthy();
    expect(within(section("Slowest tests")).getByText("1 min 5 s")).toBeTruthy();
    const groups = section("Newest failure groups");
    expect(
      within(groups)
        .getByRole("link", { name: /java\.net\.ConnectException/ })
        .getAttribute("href"),
    ).toBe("/failure-groups/5");
    expect(within(groups).getByRole("link", { name: "All failure groups" }).getAttribute("href")).toBe(
      "/projects/1/failure-groups?sort=first_seen_at",
    );
    expect(within(section("Milestones in progress")).getByText("Sprint 15")).toBeTruthy();
    const calls = server.callsTo("GET /api/v1/x/projects/1/failure-groups");
    expect(calls[0]!.search.get("sort")).toBe("failure_groups:first_seen_at");
  });

  it("keeps the trends' period and source in the URL", async () => {
    const server = dashboardApi();
    const app = await renderApp("/projects/1?days=7&source=2");
    await within(await screen.findByRole("region", { name: "Trends" })).findByRole("figure", {
      name: "Pass rate per day",
    });
    expect(server.callsTo("GET /api/v1/x/projects/1/automation/trends")[0]!.search.toString()).toBe(
      "days=7&source_id=2",
    );
    await waitFor(() => expect(section("Trends").textContent).toContain("Source frontend-e2e only"));
    fireEvent.click(screen.getByRole("radio", { name: "90 days" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1?days=90&source=2"));
    fireEvent.change(screen.getByLabelText("Source"), { target: { value: "" } });
    await waitFor(() => expect(app.location()).toBe("/projects/1?days=90"));
    await waitFor(() =>
      expect(server.callsTo("GET /api/v1/x/projects/1/automation/trends").at(-1)!.search.toString()).toBe("days=90"),
    );
  });

  it("loads and fails each section on its own", async () => {
    dashboardApi({
      "GET /api/v1/x/projects/1/failure-groups": failure(500, "The failure groups broke."),
      "GET /api/v1/projects/1/milestones": json(page([])),
    });
    await renderApp("/projects/1");
    const groups = await screen.findByRole("region", { name: "Newest failure groups" });
    expect((await within(groups).findByRole("alert")).textContent).toContain("The failure groups broke.");
    expect(await within(section("Flakiest tests")).findByText("62%")).toBeTruthy();
    expect(within(section("Milestones in progress")).getByText("No open milestones.")).toBeTruthy();
  });

  it("tells a project without runs how to upload the first one, with this server and project", async () => {
    dashboardApi({ "GET /api/v1/projects/1/automation/runs": json({ ...page([]), expands: {} }) });
    await renderApp("/projects/1");
    expect(await screen.findByRole("heading", { name: "No automation runs yet" })).toBeTruthy();
    expect(
      screen.getByText(
        `ASSAY_TOKEN=<your API token> npx assay automation:run:submit --instance ${window.location.origin} --project-id 1 --name "CI build" --source "<source>" --results "reports/**/*.xml" -- <your test command>`,
      ),
    ).toBeTruthy();
    expect(screen.getByRole("link", { name: "Create an API token" }).getAttribute("href")).toBe("/settings/tokens");
    expect(screen.queryByRole("region", { name: "Trends" })).toBeNull();
  });
});

describe("dueText", () => {
  const now = new Date("2026-11-30T15:00:00Z");
  it.each([
    ["2026-11-30", "due today"],
    ["2026-12-01", "due tomorrow"],
    ["2026-12-03", "due in 3 days"],
    ["2026-11-29", "1 day overdue"],
    ["2026-11-20", "10 days overdue"],
  ])("%s → %s", (date, text) => {
    expect(dueText(date, now)).toBe(text);
  });
});
