import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { fakeApi, json, noContent, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const tokens = [
  {
    id: 8,
    user_id: 2,
    user_name: "Grace Hopper",
    name: "laptop",
    created_at: "2026-01-02T00:00:00.000Z",
    last_used_at: null,
  },
  {
    id: 9,
    user_id: 3,
    user_name: "CI bot",
    name: "GitHub",
    created_at: "2026-01-03T00:00:00.000Z",
    last_used_at: null,
  },
];

describe("Administration › Tokens", () => {
  it("lists every user's tokens, filters by ?user= and revokes one after a confirmation", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/x/tokens": json({ result: tokens }),
      "DELETE /api/v1/x/tokens/8": noContent,
    });
    await renderApp("/admin/tokens?user=2");
    const table = await screen.findByRole("table", { name: "API tokens" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[0]!.textContent)).toEqual(["Grace Hopper"]);
    fireEvent.click(within(table).getByRole("button", { name: "Revoke laptop of Grace Hopper" }));
    fireEvent.click(await screen.findByRole("button", { name: "Revoke token" }));
    await waitFor(() => expect(server.callsTo("DELETE /api/v1/x/tokens/8")).toHaveLength(1));
    await waitFor(() => expect(server.callsTo("GET /api/v1/x/tokens")).toHaveLength(2));
  });
});
