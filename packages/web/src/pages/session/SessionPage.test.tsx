import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { formatClock } from "./hooks";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function recording(overrides: Record<string, unknown> = {}) {
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
    elapsed: 65_000_000,
    is_started: true,
    is_closed: false,
    issues: [],
    tags: [],
    untested_count: 0,
    status1_count: 1,
    success_count: 1,
    failure_count: 0,
    completed_count: 1,
    total_count: 1,
    started_at: "2026-01-02T00:00:00.000Z",
    created_at: "2026-01-02T00:00:00.000Z",
    created_by: 1,
    updated_at: null,
    updated_by: null,
    closed_at: null,
    closed_by: null,
    charter: "Explore <b>cards</b>",
    notes: "First note",
    timer_started_at: null,
    elapsed_now: 65_000_000,
    ...overrides,
  };
}

function answers(session: ReturnType<typeof recording>, allowed: string[]) {
  return {
    ...signedIn([project({ id: 1 })]),
    "GET /api/v1/x/projects/1/permissions": json({ result: { project_id: 1, permissions: 0, allowed } }),
    "GET /api/v1/x/sessions/11": json({ result: session }),
    "GET /api/v1/sessions/11": json({ result: session, expands: { milestones: [{ id: 5, name: "Release 5" }] } }),
    "GET /api/v1/x/sessions/11/results": json({
      result: [
        {
          id: 1,
          session_id: 11,
          status_id: 3,
          note: "<img src=x onerror=alert(1)>",
          elapsed: 0,
          created_at: "2026-01-02T00:00:00.000Z",
          created_by: 1,
        },
      ],
    }),
    "GET /api/v1/x/sessions/11/attachments": json({
      result: [
        {
          id: 4,
          session_id: 11,
          name: "log.txt",
          mime_type: "text/plain",
          size: 2048,
          created_at: "2026-01-02T00:00:00.000Z",
          created_by: 1,
          path: "/api/v1/x/session-attachments/4/download",
        },
      ],
    }),
  };
}

describe("the session page", () => {
  it("formats the timer's face", () => {
    expect(formatClock(65_000_000)).toBe("01:05");
    expect(formatClock(3_725_000_000)).toBe("1:02:05");
  });

  it("shows a read-only user the charter, findings and files as text, with no controls", async () => {
    fakeApi(answers(recording(), ["view"]));
    await renderApp("/sessions/11");
    const charter = await screen.findByRole("region", { name: "Charter" });
    expect(within(charter).getByText("Explore <b>cards</b>")).toBeTruthy();
    const findings = screen.getByRole("region", { name: "Findings" });
    expect(await within(findings).findByText("<img src=x onerror=alert(1)>")).toBeTruthy();
    expect(findings.querySelector("img")).toBeNull();
    const file = await screen.findByRole("link", { name: "log.txt" });
    expect(file.getAttribute("href")).toBe("/api/v1/x/session-attachments/4/download");
    expect(screen.getByText(/recording needs the “results” permission/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /timer|Close session|Add finding|Upload|Save/ })).toBeNull();
    expect(screen.getByText("01:05")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Release 5" }).getAttribute("href")).toBe("/milestones/5");
    // the session's project is the page's project: its navigation is there
    const nav = await screen.findByRole("navigation", { name: "Project" });
    expect(within(nav).getByRole("link", { name: "Sessions" })).toBeTruthy();
  });

  it("starts the timer and keeps unsaved notes when the server refuses them", async () => {
    const server = fakeApi({
      ...answers(recording(), ["view", "results"]),
      "PATCH /api/v1/x/sessions/11": (call) =>
        (call.body as { timer?: string }).timer === "start"
          ? json({ result: recording({ timer_started_at: "2026-01-02T00:00:00.000Z" }) })
          : failure(422, "The notes are too long.", { notes: ["Use at most 65,536 characters."] }),
    });
    await renderApp("/sessions/11");
    const timer = await screen.findByRole("region", { name: "Timer" });
    fireEvent.click(within(timer).getByRole("button", { name: "Resume timer" }));
    await within(timer).findByRole("button", { name: "Pause timer" });
    expect(server.callsTo("PATCH /api/v1/x/sessions/11")[0]!.body).toEqual({ timer: "start" });

    const notes = screen.getByRole("region", { name: "Notes" });
    fireEvent.change(within(notes).getByLabelText("Notes"), { target: { value: "A very long note" } });
    fireEvent.click(within(notes).getByRole("button", { name: "Save notes" }));
    expect(await within(notes).findByText("Use at most 65,536 characters.")).toBeTruthy();
    expect((within(notes).getByLabelText("Notes") as HTMLTextAreaElement).value).toBe("A very long note");
  });

  it("asks before leaving with unsaved notes: Stay keeps them", async () => {
    fakeApi(answers(recording(), ["view", "results"]));
    const view = await renderApp("/sessions/11");
    const notes = await screen.findByRole("region", { name: "Notes" });
    fireEvent.change(within(notes).getByLabelText("Notes"), { target: { value: "Unsaved thought" } });
    fireEvent.click(screen.getByRole("link", { name: "All sessions" }));
    const dialog = await screen.findByRole("dialog", { name: "Leave without saving?" });
    expect(dialog.textContent).toContain("You have not saved your notes.");
    fireEvent.click(within(dialog).getByRole("button", { name: "Stay" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(view.location()).toContain("/sessions/11");
    expect((within(notes).getByLabelText("Notes") as HTMLTextAreaElement).value).toBe("Unsaved thought");
  });

  it("adds a finding with its status", async () => {
    const server = fakeApi({
      ...answers(recording(), ["view", "results"]),
      "POST /api/v1/x/sessions/11/results": json({ result: { id: 2 } }, 201),
    });
    await renderApp("/sessions/11");
    const form = await screen.findByRole("form", { name: "Add a finding" });
    fireEvent.change(within(form).getByLabelText("Status"), { target: { value: "5" } });
    fireEvent.change(within(form).getByLabelText("Finding", { exact: true }), {
      target: { value: "Blocked by login" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Add finding" }));
    await waitFor(() =>
      expect(server.callsTo("POST /api/v1/x/sessions/11/results")[0]?.body).toEqual({
        status_id: 5,
        note: "Blocked by login",
      }),
    );
  });

  it("says that a closed session takes no more changes", async () => {
    fakeApi(answers(recording({ is_closed: true, closed_at: "2026-01-03T00:00:00.000Z" }), ["view", "results"]));
    await renderApp("/sessions/11");
    expect(await screen.findByText(/This session is closed/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Close session" })).toBeNull();
    expect(screen.queryByRole("form", { name: "Add a finding" })).toBeNull();
  });

  it("tells a user without access what is missing", async () => {
    fakeApi({
      ...signedIn([project({ id: 1 })]),
      "GET /api/v1/x/sessions/11": failure(
        403,
        "You do not have access to project 1. Ask a project manager or administrator for access.",
      ),
    });
    await renderApp("/sessions/11");
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByRole("heading", { name: "No access" })).toBeTruthy();
    expect(within(alert).getByText(/Ask a project manager/)).toBeTruthy();
  });
});
