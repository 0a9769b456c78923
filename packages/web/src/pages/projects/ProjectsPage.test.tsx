import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, project, session, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

describe("the projects page", () => {
  it("lists the projects with their automation run counts, linking to each", async () => {
    fakeApi(
      signedIn([
        project({
          id: 2,
          name: "Demo",
          note: "Seeded by assay-server demo",
          automation_run_count: 1234,
          automation_run_active_count: 2,
        }),
        project({ id: 1, name: "Backend", automation_run_count: 5 }),
      ]),
    );
    await renderApp("/projects");
    const table = await screen.findByRole("table", { name: "Your projects" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[0]!.textContent)).toEqual([
      "Backend",
      "DemoSeeded by assay-server demo",
    ]);
    expect(within(rows[1]!).getByRole("link", { name: "Demo" }).getAttribute("href")).toBe("/projects/2");
    expect(within(rows[1]!).getAllByRole("cell")[1]!.textContent).toBe("1,234 (2 running)");

    // sortable headers say their order
    const header = within(table).getByRole("columnheader", { name: /Project/ });
    expect(header.getAttribute("aria-sort")).toBe("ascending");
    fireEvent.click(within(header).getByRole("button"));
    expect(header.getAttribute("aria-sort")).toBe("descending");
    const sorted = within(table).getAllByRole("row").slice(1);
    expect(within(sorted[0]!).getByRole("link").textContent).toBe("Demo");
  });

  it("tells an administrator without projects how to create one", async () => {
    fakeApi({ ...signedIn([]), "GET /api/v1/projects": json(page([])) });
    await renderApp("/projects");
    expect(await screen.findByRole("heading", { name: "No projects yet" })).toBeTruthy();
    expect(screen.getByText('npx assay-server project create --name "Backend"')).toBeTruthy();
  });

  it("tells anyone else to ask for access", async () => {
    fakeApi({
      ...signedIn([]),
      "GET /api/v1/x/auth/session": json({ result: session({ is_admin: false, role: "tester" }) }),
      "GET /api/v1/projects": json(page([])),
    });
    await renderApp("/projects");
    expect(await screen.findByText(/Ask an administrator to give you access/)).toBeTruthy();
  });

  it("shows a failed load with the server's message and a way to try again", async () => {
    const server = fakeApi({ ...signedIn(), "GET /api/v1/projects": failure(500, "Internal server error.") });
    await renderApp("/projects");
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByRole("heading").textContent).toBe("The server had a problem");
    expect(alert.textContent).toContain("Internal server error.");
    server.set({ "GET /api/v1/projects": json(page([project({ name: "Recovered" })])) });
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: "Recovered" })).toBeTruthy();
  });
});
