import type { CaseDetail, RepositoryOptions } from "@assay/api";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { type FakeRoute, failure, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { differences, draftOf, saveBody } from "./case-draft";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const OPTIONS: RepositoryOptions = {
  templates: [{ id: 1, name: "Steps", is_default: true }],
  states: [
    { id: 1, name: "Draft", is_default: false },
    { id: 3, name: "Active", is_default: true },
  ],
  tags: [],
  custom_fields: [],
};

function detail(overrides: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: 5,
    project_id: 1,
    key: 5,
    name: "Pay by card",
    folder_id: null,
    template_id: 1,
    state_id: 3,
    estimate: null,
    created_at: "2026-01-01T00:00:00.000Z",
    created_by: 1,
    updated_at: "2026-01-02T00:00:00.000Z",
    updated_by: 1,
    updated_by_name: "Ada Admin",
    steps: [
      { step: "Open <b>the cart</b>", expected: "It opens" },
      { step: "Pay", expected: "Paid" },
    ],
    custom_fields: { custom_priority: "high", custom_meta: { a: 1 } },
    tags: [{ id: 1, name: "smoke" }],
    issues: [{ id: 1, display_id: "#101", integration_id: 1, connection_project_id: null }],
    attachments: [
      {
        id: 9,
        name: "form.png",
        note: null,
        mime_type: "image/png",
        size: 2048,
        created_at: "2026-01-01T00:00:00.000Z",
        created_by: 1,
        path: "/api/v1/attachments/9/download",
        path_thumbnail: null,
        path_preview: null,
      },
    ],
    automation: [
      {
        automation_case_id: 77,
        source_id: 1,
        source_name: "unit",
        key: "k",
        name: "pays by card",
        folder: "checkout",
        status: 3,
        last_result_at: "2026-01-03T00:00:00.000Z",
        last_run_id: 4,
      },
    ],
    ...overrides,
  };
}

function editor(allowed: string[], more: Record<string, FakeRoute> = {}) {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/x/projects/1/permissions": json({ result: { project_id: 1, permissions: 0, allowed } }),
    "GET /api/v1/x/projects/1/repository": json({ result: OPTIONS }),
    "GET /api/v1/projects/1/folders": json(page([])),
    "GET /api/v1/x/cases/5": json({ result: detail() }),
    "GET /api/v1/issues/connections": json(
      page([
        {
          integration_id: 3,
          integration_type: 1,
          integration_name: "Tracker",
          connection_id: null,
          connection_name: null,
          connection_project_id: null,
          connection_project_name: null,
          is_active: true,
          created_at: "2026-01-01T00:00:00.000Z",
          updated_at: null,
        },
      ]),
    ),
    ...more,
  });
}

describe("the case draft", () => {
  it("sends every field with the loaded version, and only changed or removed custom text fields", () => {
    const loaded = detail();
    const draft = { ...draftOf(loaded), tags: "smoke, , new, new", fields: [] };
    expect(saveBody(loaded, draft)).toEqual({
      updated_at: loaded.updated_at,
      name: "Pay by card",
      folder_id: null,
      template_id: 1,
      state_id: 3,
      tags: ["smoke", "new"],
      steps: loaded.steps,
      issues: [1],
      custom_fields: { custom_priority: null },
    });
  });

  it("lists only what the other person changed, beside the user's value", () => {
    const loaded = detail();
    const theirs = detail({ name: "Pay by credit card", state_id: 1, updated_at: "2026-01-04T00:00:00.000Z" });
    const mine = { ...draftOf(loaded), name: "Pay by debit card" };
    expect(differences(loaded, theirs, mine, { options: OPTIONS })).toEqual([
      { field: "Name", theirs: "Pay by credit card", yours: "Pay by debit card" },
      { field: "State", theirs: "Draft", yours: "Active" },
    ]);
  });
});

describe("the case page", () => {
  it("shows steps as text, the image preview, the download link and the linked test with its status", async () => {
    editor(["view", "repository"]);
    await renderApp("/projects/1/cases/5");
    const step = (await screen.findByLabelText("Step 1")) as HTMLTextAreaElement;
    expect(step.value).toBe("Open <b>the cart</b>");
    expect(document.querySelector("b")).toBeNull();
    const preview = screen.getByRole("img", { name: "Preview of form.png" });
    expect(preview.getAttribute("src")).toBe("/api/v1/attachments/9/download");
    expect(screen.getByRole("link", { name: "form.png" }).getAttribute("href")).toBe("/api/v1/attachments/9/download");
    expect(screen.getByRole("link", { name: "pays by card" }).getAttribute("href")).toBe("/automation/cases/77");
    expect(screen.getByText("Failure")).toBeTruthy();
    expect(screen.getByText("#101")).toBeTruthy();
  });

  it("saves reordered steps with the version it loaded", async () => {
    const server = editor(["view", "repository"], {
      "PATCH /api/v1/x/cases/5": (call) => json({ result: { ...detail(), ...(call.body as object), tags: [] } }),
    });
    await renderApp("/projects/1/cases/5");
    fireEvent.click(await screen.findByRole("button", { name: "Move up step 2" }));
    fireEvent.click(screen.getByRole("button", { name: "Save case" }));
    await screen.findByText("Saved.");
    const body = server.callsTo("PATCH /api/v1/x/cases/5")[0]!.body as {
      updated_at: string;
      steps: { step: string }[];
    };
    expect(body.updated_at).toBe("2026-01-02T00:00:00.000Z");
    expect(body.steps.map((s) => s.step)).toEqual(["Pay", "Open <b>the cart</b>"]);
  });

  it("adds an issue by its tracker key and removes one; both go with the save", async () => {
    const server = editor(["view", "repository"], {
      "PATCH /api/v1/x/cases/5": json({ result: detail({ issues: [] }) }),
    });
    await renderApp("/projects/1/cases/5");
    fireEvent.change(await screen.findByLabelText("Issue key"), { target: { value: "SHOP-9" } });
    await screen.findByRole("option", { name: "Tracker" });
    fireEvent.click(screen.getByRole("button", { name: "Add issue" }));
    expect(screen.getByText("SHOP-9")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Save case" }));
    await screen.findByText("Saved.");
    expect((server.callsTo("PATCH /api/v1/x/cases/5")[0]!.body as { issues: unknown[] }).issues).toEqual([
      1,
      { display_id: "SHOP-9", integration_id: 3 },
    ]);
  });

  it("on a conflict keeps the input, shows the other person's values, and can save over them", async () => {
    const theirs = detail({
      name: "Pay by credit card",
      updated_at: "2026-01-05T00:00:00.000Z",
      updated_by_name: "Bo",
    });
    let saves = 0;
    const server = editor(["view", "repository"], {
      "PATCH /api/v1/x/cases/5": () =>
        ++saves === 1
          ? failure(422, "This case was saved by Bo after you opened it.", { updated_at: ["saved by Bo"] })
          : json({ result: { ...theirs, name: "Pay by debit card", updated_at: "2026-01-06T00:00:00.000Z" } }),
    });
    await renderApp("/projects/1/cases/5");
    fireEvent.change(await screen.findByLabelText("Name"), { target: { value: "Pay by debit card" } });
    server.set({ "GET /api/v1/x/cases/5": json({ result: theirs }) });
    fireEvent.click(screen.getByRole("button", { name: "Save case" }));
    const notice = await screen.findByRole("alert");
    expect(within(notice).getByRole("heading").textContent).toBe("Bo saved this case while you were editing it");
    const row = within(notice).getByRole("row", { name: /Name/ });
    expect(
      within(row)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["Pay by credit card", "Pay by debit card"]);
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Pay by debit card");
    fireEvent.click(within(notice).getByRole("button", { name: "Save mine over theirs" }));
    await screen.findByText("Saved.");
    const second = server.callsTo("PATCH /api/v1/x/cases/5")[1]!.body as { updated_at: string; name: string };
    expect(second).toMatchObject({ updated_at: "2026-01-05T00:00:00.000Z", name: "Pay by debit card" });
  });

  it("keeps the input and names the missing permission when a save is refused", async () => {
    editor(["view", "repository"], {
      "PATCH /api/v1/x/cases/5": failure(
        403,
        "Your role in project 1 does not allow you to change repository cases. Ask a project manager for a role that does.",
      ),
    });
    await renderApp("/projects/1/cases/5");
    fireEvent.change(await screen.findByLabelText("Name"), { target: { value: "Mine" } });
    fireEvent.click(screen.getByRole("button", { name: "Save case" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/needs the “repository” permission/));
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Mine");
  });

  it("asks before leaving with unsaved changes: Stay keeps them, Leave goes", async () => {
    editor(["view", "repository"], {
      "GET /api/v1/x/projects/1/cases": json(page([])),
    });
    const view = await renderApp("/projects/1/cases/5");
    fireEvent.change(await screen.findByLabelText("Name"), { target: { value: "Unsaved name" } });
    fireEvent.click(screen.getByRole("link", { name: "Back to the repository" }));
    const dialog = await screen.findByRole("dialog", { name: "Leave without saving?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Stay" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(view.location()).toContain("/projects/1/cases/5");
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("Unsaved name");

    fireEvent.click(screen.getByRole("link", { name: "Back to the repository" }));
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Leave" }));
    await waitFor(() => expect(view.location()).toContain("/projects/1/repository"));
  });

  it("shows a read-only user the case without save, upload or step controls", async () => {
    editor(["view"]);
    await renderApp("/projects/1/cases/5");
    expect((await screen.findByLabelText("Name")).closest("fieldset")?.disabled).toBe(true);
    await screen.findByText(/changing it needs the repository permission/);
    for (const name of ["Save case", "Upload", "Add step", "Move up step 2"]) {
      expect(screen.queryByRole("button", { name })).toBeNull();
    }
  });
});
