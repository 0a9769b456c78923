import type { Connection } from "@assay/api";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    integration_id: 3,
    integration_type: 2,
    integration_name: "Acme GitHub",
    connection_id: 8,
    connection_name: "acme",
    connection_project_id: 11,
    connection_project_name: "web",
    is_active: true,
    created_at: "2026-11-01T10:00:00.000Z",
    updated_at: null,
    ...overrides,
  };
}

const tracker = { id: 3, type: 2, name: "Acme", is_active: true, created_at: "", updated_at: null, connections: [] };

describe("Administration › Issue trackers", () => {
  it("lists each tracker once with its projects, renames it and deactivates it", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/issues/connections": json(
        page([connection(), connection({ connection_project_id: 12, connection_project_name: "api" })]),
      ),
      "PATCH /api/v1/x/issue-integrations/3": json({ result: tracker, expands: {} }),
    });
    await renderApp("/admin/issue-trackers");
    const table = await screen.findByRole("table", { name: "Issue trackers" });
    expect(await within(table).findByText("acme: web, api")).toBeTruthy();
    expect(within(table).getAllByRole("row")).toHaveLength(2);
    fireEvent.click(within(table).getByRole("button", { name: "Deactivate Acme GitHub" }));
    await waitFor(() =>
      expect(server.callsTo("PATCH /api/v1/x/issue-integrations/3")[0]?.body).toEqual({ is_active: false }),
    );
    fireEvent.click(within(table).getByRole("button", { name: "Rename Acme GitHub" }));
    fireEvent.change(within(table).getByLabelText("New name"), { target: { value: "Acme" } });
    fireEvent.click(within(table).getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(server.callsTo("PATCH /api/v1/x/issue-integrations/3")[1]?.body).toEqual({ name: "Acme" }),
    );
  });

  it("adds a GitHub tracker; refused fields say why beside the field and keep what was typed", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/issues/connections": json(page([])),
      "POST /api/v1/x/issue-integrations": (call) =>
        (call.body as { name: string }).name === "Taken"
          ? failure(422, "The issue tracker was not saved.", {
              name: ['An issue tracker named "Taken" already exists (id 1). Choose another name.'],
              "connections.0.projects.1.name": ['The project "Web" is already in this connection.'],
            })
          : json({ result: tracker, expands: {} }, 201),
    });
    await renderApp("/admin/issue-trackers");
    expect(await screen.findByText("No issue tracker yet")).toBeTruthy();
    const name = screen.getByLabelText(/^Name/) as HTMLInputElement;
    fireEvent.change(name, { target: { value: "Taken" } });
    fireEvent.change(screen.getByLabelText(/^Organisation or user/), { target: { value: "acme" } });
    fireEvent.change(screen.getByLabelText(/^Repositories/), { target: { value: "web\nWeb\n" } });
    fireEvent.click(screen.getByRole("button", { name: "Add tracker" }));
    expect(await screen.findByText(/An issue tracker named "Taken" already exists/)).toBeTruthy();
    expect(screen.getByText('The project "Web" is already in this connection.')).toBeTruthy();
    expect(name.value).toBe("Taken");
    expect(name.getAttribute("aria-invalid")).toBe("true");

    fireEvent.change(name, { target: { value: "Acme" } });
    fireEvent.change(screen.getByLabelText(/^Repositories/), { target: { value: "web, api" } });
    fireEvent.click(screen.getByRole("button", { name: "Add tracker" }));
    await waitFor(() =>
      expect(server.callsTo("POST /api/v1/x/issue-integrations")[1]?.body).toEqual({
        type: 2,
        name: "Acme",
        connections: [{ name: "acme", projects: [{ name: "web" }, { name: "api" }] }],
      }),
    );
    await waitFor(() => expect(name.value).toBe(""));
  });

  it("shows why a tracker in use cannot be deleted", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/issues/connections": json(page([connection()])),
      "DELETE /api/v1/x/issue-integrations/3": failure(
        422,
        "2 linked issue(s) use issue tracker 3, so it cannot be deleted. Deactivate it instead (PATCH with is_active: false).",
      ),
    });
    await renderApp("/admin/issue-trackers");
    fireEvent.click(await screen.findByRole("button", { name: "Delete Acme GitHub" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete tracker" }));
    expect(await within(dialog).findByText(/Deactivate it instead/)).toBeTruthy();
  });
});
