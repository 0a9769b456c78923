import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { fakeApi, json, page, session, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { role } from "./admin-fixtures";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

describe("the administration area", () => {
  it("opens Users from /admin, with a navigation of every section and a top bar link", async () => {
    fakeApi({ ...signedIn(), "GET /api/v1/users": json(page([])) });
    const app = await renderApp("/admin");
    expect(await screen.findByRole("heading", { level: 1, name: "Users" })).toBeTruthy();
    expect(app.location()).toBe("/admin/users");
    const nav = screen.getByRole("navigation", { name: "Administration" });
    const links = within(nav)
      .getAllByRole("link")
      .map((link) => link.textContent);
    expect(links).toEqual(["Users", "Groups", "Roles", "Projects", "Access", "Retention", "Issue trackers", "Tokens"]);
    expect(within(nav).getByRole("link", { name: "Users" }).getAttribute("aria-current")).toBe("page");
    expect(screen.getByRole("link", { name: "Administration" }).getAttribute("href")).toBe("/admin");
  });

  it("tells a user without the admin permission that it is needed, and offers no link there", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/x/auth/session": json({ result: session({ is_admin: false, role: "tester" }) }),
    });
    await renderApp("/admin/users");
    expect(await screen.findByRole("heading", { name: "The admin permission is needed" })).toBeTruthy();
    expect(screen.queryByRole("navigation", { name: "Administration" })).toBeNull();
    expect(screen.queryByRole("link", { name: "Administration" })).toBeNull();
    expect(server.callsTo("GET /api/v1/users")).toEqual([]);
  });

  it("lists the roles with their permissions in words", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/roles": json(page([role(), role({ id: 4, name: "Read-only", permissions: 1, is_default: false })])),
    });
    await renderApp("/admin/roles");
    const table = await screen.findByRole("table", { name: "Roles" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(within(rows[1]!).getAllByRole("cell")[1]!.textContent).toBe("View projects");
    expect(within(rows[0]!).getAllByRole("cell")[1]!.textContent).toContain("Administer Assay");
  });
});
