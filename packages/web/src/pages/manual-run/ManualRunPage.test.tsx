import type { CaseDetail } from "@assay/api";
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { manualRun, runTest } from "../../test-support/manual-run-fixtures";
import { renderApp } from "../../test-support/render";
import { DELETED_CASE_MESSAGE } from "./CaseDetails";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const tests = [
  runTest({ id: 100, case_id: 21, name: "Pay by card" }),
  runTest({
    id: 101,
    case_id: 22,
    name: "Pay by invoice",
    status_id: 3,
    assignee_id: 2,
    latest_result: {
      id: 7,
      status_id: 3,
      note: "<img src=x onerror=alert(1)> declined",
      elapsed: 5_000_000,
      issues: [{ id: 1, display_id: "#42" }],
      attachments: [],
      created_at: "2026-01-02T00:00:00.000Z",
      created_by: 2,
    },
  }),
  // its case (23) was deleted from the repository after the run was created
  runTest({ id: 102, case_id: 23, name: "Refund an order" }),
];

/** A repository case as GET /x/cases/{id} returns it. */
function repositoryCase(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: 21,
    project_id: 1,
    key: 7,
    name: "Pay by card",
    folder_id: 1,
    template_id: 1,
    state_id: 1,
    estimate: 60_000_000,
    created_at: "2026-01-01T00:00:00.000Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    updated_by_name: null,
    steps: [],
    custom_fields: {},
    tags: [],
    issues: [],
    attachments: [],
    automation: [],
    ...overrides,
  };
}

const cardCase = repositoryCase({
  steps: [
    { step: "Add a <b>book</b> to the cart", expected: "The cart shows 1 item" },
    { step: "Pay with card 4242", expected: "" },
  ],
  custom_fields: {
    custom_priority: "high",
    custom_description: "Card payments\n<i>3-D Secure</i> off",
    custom_meta: { a: 1 },
  },
  issues: [{ id: 3, display_id: "#77", integration_id: 1, connection_project_id: null }],
  attachments: [
    {
      id: 9,
      name: "card form.png",
      note: null,
      mime_type: "image/png",
      size: 2048,
      created_at: "2026-01-01T00:00:00.000Z",
      created_by: 1,
      path: "/api/v1/attachments/9/download",
      path_thumbnail: null,
      path_preview: null,
    },
    {
      id: 10,
      name: "logo.svg",
      note: null,
      mime_type: "image/svg+xml",
      size: 900,
      created_at: "2026-01-01T00:00:00.000Z",
      created_by: 1,
      path: "/api/v1/attachments/10/download",
      path_thumbnail: null,
      path_preview: null,
    },
  ],
});

function answers(allowed: string[], run = manualRun({}, { 1: 2, 3: 1 })) {
  return {
    ...signedIn(),
    "GET /api/v1/runs/10": json({ result: run, expands: { milestones: [{ id: 5, name: "Sprint 15" }] } }),
    "GET /api/v1/x/runs/10/tests": json({ result: tests }),
    "GET /api/v1/x/projects/1/permissions": json({ result: { project_id: 1, permissions: 0, allowed } }),
    "GET /api/v1/projects/1/users": json(
      page([
        { id: 1, name: "Ada Admin" },
        { id: 2, name: "Tess Tester" },
      ]),
    ),
    "GET /api/v1/issues/connections": json(page([])),
    "GET /api/v1/x/cases/21": json({ result: cardCase }),
    "GET /api/v1/x/cases/22": json({ result: repositoryCase({ id: 22, key: 8, name: "Pay by invoice" }) }),
    "GET /api/v1/x/cases/23": failure(404, "Case 23 does not exist."),
  };
}

const key = (k: string) => act(() => void fireEvent.keyDown(window, { key: k }));

describe("the manual run page", () => {
  it("shows progress and the current test from the URL; j and k move and keep the test in the URL", async () => {
    fakeApi(answers(["view", "results"]));
    const app = await renderApp("/manual-runs/10?test=101");
    expect(await screen.findByRole("heading", { name: "Checkout regression", level: 1 })).toBeTruthy();
    expect(screen.getByText("1 of 3 tested (33%)")).toBeTruthy();
    // the run was never started: its page says so, as the manual runs list does
    expect(screen.getByText("Not started").className).toBe("chip chip--pending");
    expect(
      screen.getByText((_, element) => element?.tagName === "SPAN" && element.textContent === "Milestone: Sprint 15"),
    ).toBeTruthy();
    expect(screen.getByRole("link", { name: "Sprint 15" }).getAttribute("href")).toBe("/milestones/5");
    const panel = screen.getByRole("region", { name: "Pay by invoice" });
    // the comment is text: no element is made of it
    expect(within(panel).getByText("<img src=x onerror=alert(1)> declined")).toBeTruthy();
    expect(panel.querySelector("img")).toBeNull();
    await key("j");
    await waitFor(() => expect(app.location()).toContain("test=102"));
    await key("k");
    await key("ArrowUp");
    await waitFor(() => expect(app.location()).toContain("test=100"));
  });

  it("shows the case to execute: steps with expected results, description, fields, files, a repository link", async () => {
    fakeApi(answers(["view", "results"]));
    await renderApp("/manual-runs/10?test=100");
    const panel = await screen.findByRole("region", { name: "Pay by card" });
    const details = await within(panel).findByRole("region", { name: "The case" });
    const steps = within(details)
      .getAllByRole("listitem")
      .filter((item) => item.closest("ol"));
    expect(steps.map((step) => step.textContent)).toEqual([
      "Add a <b>book</b> to the cartExpected: The cart shows 1 item",
      "Pay with card 4242",
    ]);
    // steps and fields are text: no element is made of them
    expect(details.querySelector("b, i")).toBeNull();
    expect(within(details).getByText(/<i>3-D Secure<\/i> off/)).toBeTruthy();
    const labels = within(details)
      .getAllByRole("heading", { level: 4 })
      .map((h) => h.textContent);
    expect(labels).toEqual(["Description", "Meta", "Priority"]);
    expect(within(details).getByText('{"a":1}')).toBeTruthy();
    expect(within(details).getByText("#77")).toBeTruthy();
    const files = within(details).getByRole("list", { name: "Case attachments" });
    expect(within(files).getByRole("img", { name: "Preview of card form.png" }).getAttribute("src")).toBe(
      "/api/v1/attachments/9/download",
    );
    expect(within(files).getByRole("link", { name: "card form.png" }).getAttribute("href")).toBe(
      "/api/v1/attachments/9/download",
    );
    // an SVG is offered as a download, not drawn
    expect(within(files).queryByRole("img", { name: "Preview of logo.svg" })).toBeNull();
    expect(within(files).getByRole("link", { name: "logo.svg" })).toBeTruthy();
    expect(within(details).getByRole("link", { name: "Open case C7 in the repository" }).getAttribute("href")).toBe(
      "/projects/1/cases/21",
    );
  });

  it("labels the current test's case C<key> as the repository does, not by its database id", async () => {
    fakeApi(answers(["view", "results"]));
    await renderApp("/manual-runs/10?test=101");
    const panel = await screen.findByRole("region", { name: "Pay by invoice" });
    await waitFor(() => expect(panel.querySelector(".manual-run__position")?.textContent).toBe("Test 2 of 3 · C8"));
  });

  it("says calmly when the case was deleted from the repository, and the run stays usable", async () => {
    const server = fakeApi({
      ...answers(["view", "results"]),
      "POST /api/v1/x/runs/10/results": json(
        { result: { id: 9 }, run: manualRun({ name: "Checkout regression" }, { 1: 1, 2: 1, 3: 1 }) },
        201,
      ),
    });
    await renderApp("/manual-runs/10?test=102");
    const panel = await screen.findByRole("region", { name: "Refund an order" });
    expect(await within(panel).findByText(DELETED_CASE_MESSAGE)).toBeTruthy();
    expect(within(panel).queryByRole("alert")).toBeNull();
    await key("p");
    await screen.findByText("Passed saved for “Refund an order”.");
    expect(server.callsTo("POST /api/v1/x/runs/10/results")[0]!.body).toMatchObject({ test_id: 102, status_id: 2 });
  });

  it("says why when the case may not be read, keeping the run usable", async () => {
    fakeApi({
      ...answers(["view", "results"]),
      "GET /api/v1/x/cases/21": failure(403, "Your role in project 1 lacks the “view” permission."),
    });
    await renderApp("/manual-runs/10?test=100");
    const panel = await screen.findByRole("region", { name: "Pay by card" });
    expect((await within(panel).findByRole("alert")).textContent).toBe(
      "You cannot read this case: Your role in project 1 lacks the “view” permission.",
    );
    expect(screen.getByRole("button", { name: /^Passed/ })).toBeTruthy();
  });

  it("keeps the keys working after ticking “Only my tests”", async () => {
    fakeApi(answers(["view", "results"]));
    const app = await renderApp("/manual-runs/10");
    await screen.findByRole("region", { name: "Pay by card" });
    const mine = screen.getByRole("checkbox", { name: "Only my tests" });
    mine.focus();
    fireEvent.click(mine);
    await waitFor(() => expect(app.location()).toContain("mine=1"));
    // user 1's tests are 100 and 102; the focused checkbox does not swallow j
    act(() => void fireEvent.keyDown(mine, { key: "j" }));
    await waitFor(() => expect(app.location()).toContain("test=102"));
  });

  it("records a result with p: status, comment, elapsed time; then moves to the next test", async () => {
    const server = fakeApi({
      ...answers(["view", "results"]),
      "POST /api/v1/x/runs/10/results": json(
        { result: { id: 8 }, run: manualRun({ name: "Checkout regression" }, { 1: 1, 2: 1, 3: 1 }) },
        201,
      ),
    });
    const app = await renderApp("/manual-runs/10?test=100");
    await screen.findByRole("region", { name: "Pay by card" });
    await key("c");
    const comment = screen.getByLabelText(/^Comment/) as HTMLTextAreaElement;
    expect(document.activeElement).toBe(comment);
    fireEvent.change(comment, { target: { value: "works" } });
    // keys typed into the comment are text
    fireEvent.keyDown(comment, { key: "p" });
    expect(server.callsTo("POST /api/v1/x/runs/10/results")).toHaveLength(0);
    comment.blur();
    await key("p");
    await screen.findByText("Passed saved for “Pay by card”.");
    const body = server.callsTo("POST /api/v1/x/runs/10/results")[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({ test_id: 100, status_id: 2, note: "works", issues: [] });
    expect(typeof body.elapsed).toBe("number");
    await waitFor(() => expect(app.location()).toContain("test=101"));
    expect(screen.getByText("2 of 3 tested (66%)")).toBeTruthy();
  });

  it("asks before leaving the page with an unsaved comment, but not when moving to another test", async () => {
    fakeApi(answers(["view", "results"]));
    const app = await renderApp("/manual-runs/10?test=100");
    await screen.findByRole("region", { name: "Pay by card" });
    const comment = () => screen.getByLabelText(/^Comment/) as HTMLTextAreaElement;
    fireEvent.change(comment(), { target: { value: "half a thought" } });
    await key("j");
    await waitFor(() => expect(app.location()).toContain("test=101"));
    expect(screen.queryByRole("dialog")).toBeNull();

    fireEvent.change(comment(), { target: { value: "another thought" } });
    fireEvent.click(screen.getByRole("link", { name: "Sprint 15" }));
    const dialog = await screen.findByRole("dialog", { name: "Leave without saving?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Stay" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(app.location()).toContain("/manual-runs/10");
    expect(comment().value).toBe("another thought");
  });

  it("keeps the comment when a result is refused, and says why", async () => {
    fakeApi({
      ...answers(["view", "results"]),
      "POST /api/v1/x/runs/10/results": failure(422, "Run 10 is closed and can no longer be changed.", {
        run_id: ["Run 10 is closed and can no longer be changed."],
      }),
    });
    await renderApp("/manual-runs/10?test=100");
    const comment = (await screen.findByLabelText(/^Comment/)) as HTMLTextAreaElement;
    fireEvent.change(comment, { target: { value: "half done" } });
    fireEvent.click(screen.getByRole("button", { name: /^Failed/ }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/closed and can no longer be changed/);
    expect(comment.value).toBe("half done");
  });

  it("shows read-only users the run without a way to record results", async () => {
    const server = fakeApi(answers(["view"]));
    await renderApp("/manual-runs/10");
    await screen.findByRole("region", { name: "Pay by card" });
    expect(await screen.findByText(/lacks the “results” permission/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Passed/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Close run" })).toBeNull();
    await key("p");
    expect(server.callsTo("POST /api/v1/x/runs/10/results")).toHaveLength(0);
  });

  it("lets a project manager reassign the test and close the run after confirming", async () => {
    const server = fakeApi({
      ...answers(["view", "results", "manage_runs"]),
      "POST /api/v1/x/runs/10/close": json({ result: manualRun({ is_closed: true }) }),
      "POST /api/v1/x/runs/10/assign": json({
        result: tests.map((t) => (t.id === 100 ? { ...t, assignee_id: 2 } : t)),
      }),
    });
    await renderApp("/manual-runs/10?test=100");
    const assignee = (await screen.findByRole("combobox", { name: "Assigned to" })) as HTMLSelectElement;
    await screen.findByRole("option", { name: "Tess Tester" });
    fireEvent.change(assignee, { target: { value: "2" } });
    await waitFor(() => expect(assignee.value).toBe("2"));
    expect(server.callsTo("POST /api/v1/x/runs/10/assign")[0]!.body).toEqual({ test_ids: [100], assignee_id: 2 });
    fireEvent.click(await screen.findByRole("button", { name: "Close run" }));
    const dialog = screen.getByRole("dialog", { name: /Close the run/ });
    fireEvent.click(within(dialog).getByRole("button", { name: "Close run" }));
    expect(await screen.findByText(/This run is closed/)).toBeTruthy();
    expect(server.callsTo("POST /api/v1/x/runs/10/close")).toHaveLength(1);
  });

  it("lets a project manager edit the run; a refused edit keeps the input", async () => {
    const server = fakeApi({
      ...answers(["view", "results", "manage_runs"]),
      "GET /api/v1/projects/1/milestones": json(page([{ id: 5, name: "Sprint 15" }])),
      "GET /api/v1/x/projects/1/configs": json({ result: [{ id: 3, name: "Firefox" }] }),
      "PATCH /api/v1/x/runs/10": failure(422, "Name is too long.", { name: ["Use at most 255 characters."] }),
    });
    await renderApp("/manual-runs/10");
    fireEvent.click(await screen.findByRole("button", { name: "Edit run" }));
    const form = screen.getByRole("form", { name: "Edit the run" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Renamed" } });
    await within(form).findByRole("option", { name: "Firefox" });
    fireEvent.change(within(form).getByLabelText("Configuration"), { target: { value: "3" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(await within(form).findByText("Use at most 255 characters.")).toBeTruthy();
    expect((within(form).getByLabelText("Name") as HTMLInputElement).value).toBe("Renamed");
    expect(server.callsTo("PATCH /api/v1/x/runs/10")[0]!.body).toEqual({
      name: "Renamed",
      milestone_id: 5,
      config_id: 3,
    });
  });

  it("says so when the user has no access to the run's project", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/runs/10": failure(403, "You do not have access to project 1."),
      "GET /api/v1/x/runs/10/tests": failure(403, "You do not have access to project 1."),
    });
    await renderApp("/manual-runs/10");
    expect(await screen.findByRole("heading", { name: "No access" })).toBeTruthy();
    expect(screen.getByText("You do not have access to project 1.")).toBeTruthy();
  });
});
