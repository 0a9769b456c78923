import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, noContent, page, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { group, user } from "../admin/admin-fixtures";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const access = {
  project_id: 1,
  default: { role: null },
  users: [{ user_id: 2, name: "Grace Hopper", role: "tester" }],
  groups: [],
};

function routes() {
  return {
    ...signedIn([project({ id: 1, name: "Demo" })]),
    "GET /api/v1/users": json(page([user(), user({ id: 2, name: "Grace Hopper", email: "grace@example.com" })])),
    "GET /api/v1/groups": json(page([group({ id: 3, name: "QA" })])),
    "GET /api/v1/x/projects/1/access": json({ result: access }),
    "PUT /api/v1/x/projects/1/access": noContent,
  };
}

describe("Administration › Access", () => {
  it("shows the project's overrides from ?project= and changes them", async () => {
    const server = fakeApi(routes());
    await renderApp("/admin/access?project=1");
    const defaultSelect = (await screen.findByLabelText("Project default")) as HTMLSelectElement;
    expect(defaultSelect.value).toBe("none");
    fireEvent.change(defaultSelect, { target: { value: "global" } });
    await waitFor(() =>
      expect(server.callsTo("PUT /api/v1/x/projects/1/access")[0]?.body).toEqual({ default: true, role: "global" }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Remove override of Grace Hopper" }));
    await waitFor(() =>
      expect(server.callsTo("PUT /api/v1/x/projects/1/access")[1]?.body).toEqual({ user_id: 2, role: "global" }),
    );
    const form = screen.getByRole("form", { name: "Give a user or group access" });
    fireEvent.change(within(form).getByLabelText("User or group"), { target: { value: "group:3" } });
    fireEvent.change(within(form).getByLabelText("Access"), { target: { value: "read-only" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save access" }));
    await waitFor(() =>
      expect(server.callsTo("PUT /api/v1/x/projects/1/access")[2]?.body).toEqual({ group_id: 3, role: "read-only" }),
    );
  });

  it("says what the server refused", async () => {
    fakeApi({ ...routes(), "PUT /api/v1/x/projects/1/access": failure(422, "User 2 does not exist.") });
    await renderApp("/admin/access?project=1");
    fireEvent.change(await screen.findByLabelText("Access of Grace Hopper"), { target: { value: "none" } });
    expect(await screen.findByText("User 2 does not exist.")).toBeTruthy();
  });
});
