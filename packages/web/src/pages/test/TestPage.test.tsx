import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, noContent, page, signedIn } from "../../test-support/fake-api";
import { FakeUPlot } from "../../test-support/fake-uplot";
import { caseFailureGroup, historyItem, insightCase, source } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";

vi.mock("uplot", () => import("../../test-support/fake-uplot"));

beforeEach(() => {
  FakeUPlot.instances = [];
});

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const HISTORY = Array.from({ length: 12 }, (_, i) =>
  historyItem({
    id: 100 - i,
    run_id: 80 - i,
    run_name: `frontend-e2e #${30 - i}`,
    status: i % 3 === 1 ? 3 : 2,
    status_id: i % 3 === 1 ? 3 : 2,
    elapsed: 1_000_000 + i * 10_000,
    message: i % 3 === 1 ? "Connection refused: localhost/127.0.0.1:39670" : null,
    failure_group_id: i % 3 === 1 ? 5 : null,
    created_at: new Date(Date.UTC(2026, 10, 30) - i * 86_400_000).toISOString(),
  }),
);

function testApi(overrides: Record<string, Parameters<typeof fakeApi>[0][string]> = {}) {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/x/automation/cases/45": json({ result: insightCase() }),
    "GET /api/v1/x/automation/cases/45/history": (call) =>
      json(page(call.search.get("per_page") === "100" ? HISTORY : HISTORY.slice(0, 3))),
    "GET /api/v1/x/automation/cases/45/failure-groups": json(page([caseFailureGroup()])),
    "GET /api/v1/x/projects/1/insight-settings": json({
      result: { flaky_window: 30, flaky_threshold_percent: 10, flaky_min_results: 5 },
    }),
    "GET /api/v1/projects/1/automation/sources": json(page([source()])),
    ...overrides,
  });
}

describe("the test page", () => {
  it("shows the test, why it is flaky, its figures, strip, chart, failure groups and history", async () => {
    testApi();
    await renderApp("/automation/cases/45");
    expect(await screen.findByRole("heading", { level: 1, name: "account (flaky) case 4" })).toBeTruthy();
    expect(document.title).toBe("account (flaky) case 4 · Assay");
    expect(await screen.findByText("frontend-e2e")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Flaky: 62% flip rate" })).toBeTruthy();
    expect(
      screen.getByText(
        "Its outcome changed between consecutive results 62% of the time over its last 30 results (flaky from 10%).",
      ),
    ).toBeTruthy();
    const figures = document.querySelector("dl.figures") as HTMLElement;
    expect(within(figures).getByText("+52%")).toBeTruthy();
    expect(within(figures).getByText("1.9 s")).toBeTruthy();

    // the strip: one link per result, newest right, each to its run
    const strip = await screen.findByRole("region", { name: "Last 12 results" });
    const cells = within(strip).getAllByRole("link");
    expect(cells).toHaveLength(12);
    expect(cells.at(-1)!.getAttribute("href")).toBe("/automation/runs/80");
    expect(cells.at(-1)!.getAttribute("aria-label")).toMatch(/^Passed in frontend-e2e #30 · 1 s · /);
    expect(strip.textContent).toContain("Last 12 results, oldest first: 8 passed, 4 failed. Latest: passed.");

    // the chart: uPlot with the durations, the failures and the p95
    await waitFor(() => expect(FakeUPlot.instances.length).toBeGreaterThan(0));
    const chart = FakeUPlot.instances.at(-1)!;
    expect(chart.labels).toEqual(["Duration", "Failed", "p95 of the last 30"]);
    expect(chart.data[1]).toHaveLength(12);
    expect(screen.getByRole("figure", { name: "Duration per result" })).toBeTruthy();

    // failure groups link to their pages
    const groups = screen.getByRole("table", { name: "Failure groups of this test, latest first" });
    expect(
      within(groups)
        .getByRole("link", { name: /java\.net\.ConnectException/ })
        .getAttribute("href"),
    ).toBe("/failure-groups/5");
    expect(within(groups).getByText("<ip>").getAttribute("title")).toBe("Variable part: an IP address");

    // the history table links to runs
    const history = screen.getByRole("table", { name: "Results of this test, newest first" });
    expect(within(history).getByRole("link", { name: "frontend-e2e #30" }).getAttribute("href")).toBe(
      "/automation/runs/80",
    );
  });

  it("keeps the history filters and page in the URL and sends them", async () => {
    const server = testApi();
    const app = await renderApp("/automation/cases/45?status=failed&branch=main&page=2");
    await screen.findByRole("table", { name: "Results of this test, newest first" });
    const tableCalls = () =>
      server.callsTo("GET /api/v1/x/automation/cases/45/history").filter((c) => c.search.get("per_page") === "25");
    expect(tableCalls().at(-1)!.search.toString()).toBe("page=2&per_page=25&status=3&branch=main");

    fireEvent.change(screen.getByLabelText("Outcome"), { target: { value: "passed" } });
    await waitFor(() => expect(app.location()).toBe("/automation/cases/45?status=passed&branch=main"));
    await waitFor(() => expect(tableCalls().at(-1)!.search.toString()).toBe("page=1&per_page=25&status=2&branch=main"));
  });

  it("shows a missing test as not found", async () => {
    testApi({ "GET /api/v1/x/automation/cases/45": failure(404, "Automation case 45 does not exist.") });
    await renderApp("/automation/cases/45");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Automation case 45 does not exist.");
    expect(screen.getByRole("heading", { level: 1, name: "Test 45" })).toBeTruthy();
  });
});

describe("quarantine", () => {
  async function openForm() {
    await screen.findByRole("heading", { level: 1, name: "account (flaky) case 4" });
    fireEvent.click(screen.getByRole("button", { name: "Quarantine this test…" }));
    return screen.getByRole("form", { name: "Quarantine" });
  }

  it("checks the form before sending: a reason is required", async () => {
    const server = testApi();
    await renderApp("/automation/cases/45");
    const form = await openForm();
    fireEvent.click(within(form).getByRole("button", { name: "Quarantine the test" }));
    const reason = within(form).getByLabelText("Reason");
    expect(reason.getAttribute("aria-invalid")).toBe("true");
    expect(within(form).getByText("Say why the test is quarantined.")).toBeTruthy();
    expect(server.callsTo("PUT /api/v1/x/automation/cases/45/quarantine")).toHaveLength(0);
  });

  it("shows the server's field messages next to their fields (422)", async () => {
    testApi({
      "PUT /api/v1/x/automation/cases/45/quarantine": failure(422, "The data is invalid.", {
        expires_at: ["The expires_at field must be in the future."],
      }),
    });
    await renderApp("/automation/cases/45");
    const form = await openForm();
    fireEvent.change(within(form).getByLabelText("Reason"), { target: { value: "Known flaky" } });
    fireEvent.click(within(form).getByRole("button", { name: "Quarantine the test" }));
    const message = await within(form).findByText("The expires_at field must be in the future.");
    const expires = within(form).getByLabelText("Expires (optional)");
    expect(expires.getAttribute("aria-describedby")).toContain(message.id);
    expect(expires.getAttribute("aria-invalid")).toBe("true");
  });

  it("says clearly when the user may not quarantine (403)", async () => {
    testApi({
      "PUT /api/v1/x/automation/cases/45/quarantine": failure(
        403,
        "Your role in project 1 does not allow you to quarantine tests. Ask a project manager for a role that does.",
      ),
    });
    await renderApp("/automation/cases/45");
    const form = await openForm();
    fireEvent.change(within(form).getByLabelText("Reason"), { target: { value: "Known flaky" } });
    fireEvent.click(within(form).getByRole("button", { name: "Quarantine the test" }));
    const alert = await within(form).findByRole("alert");
    expect(alert.textContent).toBe(
      "You may not quarantine this test: Your role in project 1 does not allow you to quarantine tests. Ask a project manager for a role that does.",
    );
  });

  it("quarantines with a reason and an expiry (sent in UTC), then lifts it", async () => {
    const quarantine = {
      reason: "Known flaky, see #12",
      expires_at: "2099-12-24T18:30:00.000Z",
      created_at: "2026-11-30T12:00:00.000Z",
      created_by: 1,
    };
    const server = testApi({
      "PUT /api/v1/x/automation/cases/45/quarantine": json({ result: quarantine }),
      "DELETE /api/v1/x/automation/cases/45/quarantine": noContent,
    });
    await renderApp("/automation/cases/45");
    const form = await openForm();
    await waitFor(() => expect(document.activeElement).toBe(within(form).getByLabelText("Reason")));
    fireEvent.change(within(form).getByLabelText("Reason"), { target: { value: "  Known flaky, see #12 " } });
    const local = new Date("2099-12-24T18:30:00.000Z");
    const pad = (n: number) => String(n).padStart(2, "0");
    const value = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}`;
    fireEvent.change(within(form).getByLabelText("Expires (optional)"), { target: { value } });
    fireEvent.click(within(form).getByRole("button", { name: "Quarantine the test" }));

    await waitFor(() => expect(screen.queryByRole("form", { name: "Quarantine" })).toBeNull());
    // the keyboard continues from the panel
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole("heading", { name: "Quarantine" })));
    const put = server.callsTo("PUT /api/v1/x/automation/cases/45/quarantine")[0]!;
    expect(put.body).toEqual({ reason: "Known flaky, see #12", expires_at: "2099-12-24T18:30:00.000Z" });
    expect(put.headers["x-csrf-token"]).toBe("csrf-1234");
    expect(screen.getAllByText("Quarantined").length).toBeGreaterThan(0);
    expect(screen.getByText("Known flaky, see #12")).toBeTruthy();
    expect(screen.getByText(/^you,/)).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Lift the quarantine" }));
    const dialog = await screen.findByRole("dialog", { name: "Lift the quarantine?" });
    await act(async () => fireEvent.click(within(dialog).getByRole("button", { name: "Lift the quarantine" })));
    await waitFor(() => expect(screen.getByText(/^Not quarantined\./)).toBeTruthy());
    expect(server.callsTo("DELETE /api/v1/x/automation/cases/45/quarantine")).toHaveLength(1);
    expect(screen.queryByText("Quarantined")).toBeNull();
  });

  it("shows who set a quarantine, since and until when", async () => {
    testApi({
      "GET /api/v1/x/automation/cases/45": json({
        result: insightCase({
          quarantine: {
            reason: "Waiting for the fix in #34",
            expires_at: null,
            created_at: "2026-11-29T12:00:00.000Z",
            created_by: 7,
          },
        }),
      }),
      "GET /api/v1/users/7": json({ result: { id: 7, name: "Bob Chen" }, expands: {} }),
    });
    await renderApp("/automation/cases/45");
    const panel = await screen.findByRole("region", { name: "Quarantine" });
    expect(within(panel).getByText("Waiting for the fix in #34")).toBeTruthy();
    expect(panel.textContent).toContain("until lifted");
    expect(await within(panel).findByText(/^Bob Chen,/)).toBeTruthy();
    // replacing starts from the current reason
    fireEvent.click(within(panel).getByRole("button", { name: "Replace the quarantine…" }));
    expect((within(panel).getByLabelText("Reason") as HTMLTextAreaElement).value).toBe("Waiting for the fix in #34");
  });
});
