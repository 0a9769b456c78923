import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const projects = [project({ id: 1, name: "Demo" }), project({ id: 2, name: "Old", is_completed: true })];

describe("Administration › Projects", () => {
  it("shows active projects by default and archived ones with ?show=archived; archives and reopens", async () => {
    const server = fakeApi({
      ...signedIn(projects),
      "PATCH /api/v1/x/projects/1": json({ result: { ...projects[0], is_completed: true }, expands: {} }),
      "PATCH /api/v1/x/projects/2": json({ result: { ...projects[1], is_completed: false }, expands: {} }),
    });
    const app = await renderApp("/admin/projects");
    const table = await screen.findByRole("table", { name: "Projects" });
    expect(within(table).getAllByRole("row")).toHaveLength(2);
    fireEvent.click(within(table).getByRole("button", { name: "Archive Demo" }));
    await waitFor(() => expect(server.callsTo("PATCH /api/v1/x/projects/1")[0]?.body).toEqual({ is_completed: true }));
    fireEvent.click(screen.getByRole("radio", { name: "Archived" }));
    await waitFor(() => expect(app.location()).toBe("/admin/projects?show=archived"));
    fireEvent.click(await screen.findByRole("button", { name: "Reopen Old" }));
    await waitFor(() => expect(server.callsTo("PATCH /api/v1/x/projects/2")[0]?.body).toEqual({ is_completed: false }));
  });

  it("creates a project, and a refused rename keeps the typed name with the reason under it", async () => {
    const server = fakeApi({
      ...signedIn(projects),
      "POST /api/v1/x/projects": json({ result: project({ id: 3, name: "Mobile" }), expands: {} }, 201),
      "PATCH /api/v1/x/projects/1": failure(422, "bad", { name: ["The name must contain a visible character."] }),
    });
    await renderApp("/admin/projects");
    fireEvent.change(await screen.findByLabelText("Project name"), { target: { value: "Mobile" } });
    fireEvent.click(screen.getByRole("button", { name: "Create project" }));
    expect(await screen.findByText(/Project “Mobile” created/)).toBeTruthy();
    expect(server.callsTo("POST /api/v1/x/projects")[0]!.body).toEqual({ name: "Mobile", note: null });

    fireEvent.click(screen.getByRole("button", { name: "Rename Demo" }));
    const field = screen.getByLabelText("New name") as HTMLInputElement;
    fireEvent.change(field, { target: { value: "Demo 2" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("The name must contain a visible character.")).toBeTruthy();
    expect(field.value).toBe("Demo 2");
  });
});
