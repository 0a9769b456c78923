import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { user } from "../admin/admin-fixtures";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const users = [user(), user({ id: 2, name: "Grace Hopper", email: "grace@example.com", role_id: 3 })];

describe("Administration › Users", () => {
  it("invites a user and shows the one-time link once, with a copy button", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/users": json(page(users)),
      "POST /api/v1/x/invites": json(
        {
          result: {
            user_id: 3,
            url: "http://assay.test/invite/abc",
            expires_at: "2026-01-08T00:00:00.000Z",
            purpose: "invite",
          },
        },
        201,
      ),
    });
    await renderApp("/admin/users");
    const form = await screen.findByRole("form", { name: "Invite a user" });
    fireEvent.change(within(form).getByLabelText("E-mail"), { target: { value: " new@example.com " } });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "New Person" } });
    fireEvent.change(within(form).getByLabelText("Role"), { target: { value: "read-only" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create invite link" }));
    const panel = await screen.findByRole("region", { name: "Invite link for new@example.com" });
    expect((within(panel).getByLabelText("Invite link") as HTMLInputElement).value).toBe(
      "http://assay.test/invite/abc",
    );
    expect(within(panel).getByRole("button", { name: "Copy link" })).toBeTruthy();
    expect(server.callsTo("POST /api/v1/x/invites")[0]!.body).toEqual({
      email: "new@example.com",
      name: "New Person",
      role: "read-only",
    });
  });

  it("shows an invite's field error next to the field and keeps the input", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/users": json(page(users)),
      "POST /api/v1/x/invites": failure(422, "deactivated", {
        email: ["The user is deactivated: reactivate them first."],
      }),
    });
    await renderApp("/admin/users");
    const form = await screen.findByRole("form", { name: "Invite a user" });
    const email = within(form).getByLabelText("E-mail") as HTMLInputElement;
    fireEvent.change(email, { target: { value: "old@example.com" } });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Old" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create invite link" }));
    expect(await within(form).findByText("The user is deactivated: reactivate them first.")).toBeTruthy();
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(email.value).toBe("old@example.com");
  });

  it("changes a role, and says why when the server refuses (the last administrator)", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/users": json(page(users)),
      "PATCH /api/v1/x/users/1": failure(422, "last", { role: ["User 1 is the last active administrator."] }),
      "PATCH /api/v1/x/users/2": json({ result: { ...users[1], role_id: 2 }, expands: {} }),
    });
    await renderApp("/admin/users");
    fireEvent.change(await screen.findByLabelText("Role of Grace Hopper"), { target: { value: "project-manager" } });
    await waitFor(() =>
      expect(server.callsTo("PATCH /api/v1/x/users/2")[0]?.body).toEqual({ role: "project-manager" }),
    );
    fireEvent.change(screen.getByLabelText("Role of Ada Admin"), { target: { value: "tester" } });
    expect(await screen.findByText("User 1 is the last active administrator.")).toBeTruthy();
  });

  it("deactivates after a confirmation, and filters by the ?q= in the URL", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/users": json(page(users)),
      "PATCH /api/v1/x/users/2": json({ result: { ...users[1], is_active: false }, expands: {} }),
    });
    await renderApp("/admin/users?q=grace");
    const table = await screen.findByRole("table", { name: "Users" });
    expect(within(table).getAllByRole("row")).toHaveLength(2);
    fireEvent.click(within(table).getByRole("button", { name: "Deactivate Grace Hopper" }));
    fireEvent.click(await screen.findByRole("button", { name: "Deactivate" }));
    await waitFor(() => expect(server.callsTo("PATCH /api/v1/x/users/2")[0]?.body).toEqual({ is_active: false }));
  });

  it("offers no deactivation of the signed-in administrator's own row, saying it is them", async () => {
    fakeApi({ ...signedIn(), "GET /api/v1/users": json(page(users)) });
    await renderApp("/admin/users");
    const table = await screen.findByRole("table", { name: "Users" });
    const ownRow = within(table).getByRole("row", { name: /Ada Admin/ });
    expect(within(ownRow).queryByRole("button", { name: /Deactivate/ })).toBeNull();
    expect(within(ownRow).getByText("You")).toBeTruthy();
    expect(within(table).getByRole("button", { name: "Deactivate Grace Hopper" })).toBeTruthy();
  });
});
