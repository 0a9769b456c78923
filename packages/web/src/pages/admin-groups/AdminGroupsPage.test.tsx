import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, noContent, page, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { group, user } from "../admin/admin-fixtures";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const users = [user(), user({ id: 2, name: "Grace Hopper", email: "grace@example.com" })];

describe("Administration › Groups", () => {
  it("shows the members of the group in ?group=, removes one and adds another", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/users": json(page(users)),
      "GET /api/v1/groups": json(page([group({ id: 5, name: "QA", members: [1] })])),
      "DELETE /api/v1/x/groups/5/members/1": noContent,
      "POST /api/v1/x/groups/5/members": noContent,
    });
    await renderApp("/admin/groups?group=5");
    const members = await screen.findByRole("region", { name: "Members of QA" });
    fireEvent.click(await within(members).findByRole("button", { name: "Remove Ada Admin" }));
    await waitFor(() => expect(server.callsTo("DELETE /api/v1/x/groups/5/members/1")).toHaveLength(1));
    fireEvent.change(within(members).getByLabelText("Add a member"), { target: { value: "2" } });
    fireEvent.click(within(members).getByRole("button", { name: "Add to group" }));
    await waitFor(() => expect(server.callsTo("POST /api/v1/x/groups/5/members")[0]?.body).toEqual({ user_ids: [2] }));
  });

  it("creates a group and opens it; a taken name is said under the field", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/users": json(page(users)),
      "GET /api/v1/groups": json(page([])),
      "POST /api/v1/x/groups": (call) =>
        (call.body as { name: string }).name === "QA"
          ? failure(422, 'A group named "QA" already exists (id 1).')
          : json({ id: 7 }, 201),
    });
    const app = await renderApp("/admin/groups");
    const field = await screen.findByLabelText("Group name");
    fireEvent.change(field, { target: { value: "QA" } });
    fireEvent.click(screen.getByRole("button", { name: "Create group" }));
    expect(await screen.findByText('A group named "QA" already exists (id 1).')).toBeTruthy();
    expect((field as HTMLInputElement).value).toBe("QA");
    fireEvent.change(field, { target: { value: "Testers" } });
    fireEvent.click(screen.getByRole("button", { name: "Create group" }));
    await waitFor(() => expect(app.location()).toBe("/admin/groups?group=7"));
    expect(server.callsTo("POST /api/v1/x/groups")).toHaveLength(2);
  });
});
