import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, noContent, project, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";
import { ciCommand } from "./hooks";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const tokens = [
  { id: 3, name: "GitHub Actions", created_at: "2026-01-02T00:00:00.000Z", last_used_at: "2026-01-03T00:00:00.000Z" },
  { id: 4, name: "laptop", created_at: "2026-01-05T00:00:00.000Z", last_used_at: null },
];

describe("the API tokens page", () => {
  it("lists the user's tokens with when they were created and last used", async () => {
    fakeApi({ ...signedIn(), "GET /api/v1/x/me/tokens": json({ result: tokens }) });
    await renderApp("/settings/tokens");
    const table = await screen.findByRole("table", { name: "Your API tokens" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell")[0]!.textContent)).toEqual(["laptop", "GitHub Actions"]);
    expect(within(rows[0]!).getAllByRole("cell")[2]!.textContent).toBe("Never");
    const created = within(rows[1]!).getAllByRole("cell")[1]!.querySelector("time")!;
    expect(created.getAttribute("datetime")).toBe("2026-01-02T00:00:00.000Z");
    expect(created.getAttribute("title")).toMatch(/2026/);
  });

  it("creates a token and shows it once, with the command line for CI", async () => {
    const server = fakeApi({
      ...signedIn([project({ id: 7, name: "Later" }), project({ id: 3, name: "First" })]),
      "GET /api/v1/x/me/tokens": json({ result: [] }),
      "POST /api/v1/x/me/tokens": json(
        { result: { id: 9, name: "CI", created_at: "2026-01-06T00:00:00.000Z", token: "assay_secret123" } },
        201,
      ),
    });
    await renderApp("/settings/tokens");
    expect(await screen.findByRole("heading", { name: "No tokens yet" })).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: " CI " } });
    fireEvent.click(screen.getByRole("button", { name: "Create token" }));

    const panel = await screen.findByRole("region", { name: "Token “CI” created" });
    expect((within(panel).getByLabelText("New token") as HTMLInputElement).value).toBe("assay_secret123");
    expect(within(panel).getByText(/shown only this once/)).toBeTruthy();
    const command = `ASSAY_TOKEN=assay_secret123 npx assay automation:run:submit --instance ${window.location.origin} --project-id 3 --name "CI build" --source "<source>" --results "reports/**/*.xml" -- <your test command>`;
    expect(within(panel).getByText(command)).toBeTruthy();

    const create = server.callsTo("POST /api/v1/x/me/tokens")[0]!;
    expect(create.body).toEqual({ name: "CI" });
    expect(create.headers["x-csrf-token"]).toBe("csrf-1234");
    expect((screen.getByLabelText("Name") as HTMLInputElement).value).toBe("");
    // the list is read again after the creation
    await waitFor(() => expect(server.callsTo("GET /api/v1/x/me/tokens").length).toBe(2));

    fireEvent.click(within(panel).getByRole("button", { name: "Done" }));
    expect(screen.queryByText(command)).toBeNull();
  });

  it("copies the token", async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    fakeApi({
      ...signedIn(),
      "GET /api/v1/x/me/tokens": json({ result: [] }),
      "POST /api/v1/x/me/tokens": json(
        { result: { id: 9, name: "CI", created_at: "2026-01-06T00:00:00.000Z", token: "assay_t" } },
        201,
      ),
    });
    await renderApp("/settings/tokens");
    fireEvent.change(await screen.findByLabelText("Name"), { target: { value: "CI" } });
    fireEvent.click(screen.getByRole("button", { name: "Create token" }));
    fireEvent.click(await screen.findByRole("button", { name: "Copy token" }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith("assay_t"));
    expect(await screen.findByText("Copied.")).toBeTruthy();
  });

  it("shows the server's message for a refused name", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/x/me/tokens": json({ result: [] }),
      "POST /api/v1/x/me/tokens": failure(422, "The given data was invalid.", {
        name: ["The name field must not be longer than 255 characters."],
      }),
    });
    await renderApp("/settings/tokens");
    fireEvent.change(await screen.findByLabelText("Name"), { target: { value: "x" } });
    fireEvent.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByText("The name field must not be longer than 255 characters.")).toBeTruthy();
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBe("true");
  });

  it("revokes a token after confirmation (and not without)", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/x/me/tokens": json({ result: tokens }),
      "DELETE /api/v1/x/me/tokens/3": noContent,
    });
    await renderApp("/settings/tokens");
    fireEvent.click(await screen.findByRole("button", { name: "Revoke GitHub Actions" }));
    let dialog = await screen.findByRole("dialog", { name: "Revoke the token “GitHub Actions”?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(server.callsTo("DELETE /api/v1/x/me/tokens/3")).toHaveLength(0);

    fireEvent.click(screen.getByRole("button", { name: "Revoke GitHub Actions" }));
    dialog = await screen.findByRole("dialog", { name: "Revoke the token “GitHub Actions”?" });
    server.set({ "GET /api/v1/x/me/tokens": json({ result: [tokens[1]] }) });
    fireEvent.click(within(dialog).getByRole("button", { name: "Revoke token" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(server.callsTo("DELETE /api/v1/x/me/tokens/3")[0]!.headers["x-csrf-token"]).toBe("csrf-1234");
    await waitFor(() => expect(screen.queryByRole("button", { name: "Revoke GitHub Actions" })).toBeNull());
  });
});

describe("ciCommand", () => {
  it("is the exact line for a CI job, with a placeholder when there is no project", () => {
    expect(ciCommand({ token: "assay_x", origin: "https://assay.example.com", projectId: null })).toBe(
      'ASSAY_TOKEN=assay_x npx assay automation:run:submit --instance https://assay.example.com --project-id <project id> --name "CI build" --source "<source>" --results "reports/**/*.xml" -- <your test command>',
    );
  });
});
