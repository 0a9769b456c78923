import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../api/client";
import { failure, fakeApi, json, noContent, project, signedIn, signedOut } from "../test-support/fake-api";
import { renderApp } from "../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

describe("routes and guards", () => {
  it("sends a signed-out visitor of a deep link to sign-in, remembering the link", async () => {
    fakeApi(signedOut);
    const app = await renderApp("/projects/1/runs?status=3");
    await waitFor(() => expect(app.location()).toMatch(/^\/sign-in\?/));
    const redirect = new URL(app.location(), "http://x").searchParams.get("redirect");
    expect(redirect).toBe("/projects/1/runs?status=3");
    expect(await screen.findByRole("heading", { name: "Sign in to Assay" })).toBeTruthy();
  });

  it("sends / to the projects", async () => {
    fakeApi(signedIn());
    const app = await renderApp("/");
    await waitFor(() => expect(app.location()).toBe("/projects"));
    expect(await screen.findByRole("heading", { level: 1, name: "Projects" })).toBeTruthy();
  });

  it.each([
    ["/projects/1", "Dashboard"],
    ["/projects/1/runs", "Automation runs"],
    ["/projects/1/flaky", "Flaky tests"],
    ["/projects/1/slowest", "Slowest tests"],
    ["/projects/1/failure-groups", "Failure groups"],
    ["/automation/runs/5", "Automation run 5"],
    ["/automation/cases/7", "Test 7"],
    ["/failure-groups/9", "Failure group 9"],
    ["/settings/tokens", "API tokens"],
  ])("has a page at %s (%s)", async (path, heading) => {
    fakeApi({ ...signedIn(), "GET /api/v1/x/me/tokens": json({ result: [] }) });
    await renderApp(path);
    expect(await screen.findByRole("heading", { level: 1, name: heading })).toBeTruthy();
    expect(document.title).toBe(`${heading} · Assay`);
  });

  it.each(["/projects/abc", "/automation/runs/0", "/no/such/page"])("shows not-found for %s", async (path) => {
    fakeApi(signedIn());
    await renderApp(path);
    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeTruthy();
  });

  it("shows the project's navigation inside a project, marking the current page", async () => {
    fakeApi(signedIn([project({ id: 1, name: "Demo" }), project({ id: 2, name: "Backend" })]));
    await renderApp("/projects/2/flaky");
    const nav = await screen.findByRole("navigation", { name: "Project" });
    await within(nav).findByText("Backend");
    const links = within(nav).getAllByRole("link");
    expect(links.map((link) => link.textContent)).toEqual([
      "Dashboard",
      "Repository",
      "Runs",
      "Manual runs",
      "Flaky tests",
      "Slowest tests",
      "Failure groups",
      "Sessions",
      "Milestones",
    ]);
    expect(within(nav).getByRole("link", { name: "Flaky tests" }).getAttribute("aria-current")).toBe("page");
    expect(within(nav).getByRole("link", { name: "Dashboard" }).getAttribute("aria-current")).toBeNull();
    expect(within(nav).getByRole("link", { name: "Runs" }).getAttribute("href")).toBe("/projects/2/runs");
  });

  it("has no project navigation outside a project", async () => {
    fakeApi(signedIn());
    await renderApp("/projects");
    await screen.findByRole("heading", { level: 1, name: "Projects" });
    expect(screen.queryByRole("navigation", { name: "Project" })).toBeNull();
    expect(screen.getByRole("banner")).toBeTruthy();
    expect(screen.getByRole("main")).toBeTruthy();
  });
});

describe("an expired session", () => {
  it("goes to sign-in from wherever the user was, and back there after signing in", async () => {
    const server = fakeApi({ ...signedIn(), "GET /api/v1/x/me/tokens": json({ result: [] }) });
    const app = await renderApp("/settings/tokens?tab=1");
    await screen.findByRole("heading", { level: 1, name: "API tokens" });
    // the session ends on the server; the next request answers 401
    server.set({
      "GET /api/v1/x/me/tokens": failure(401, "Sign in again."),
      "GET /api/v1/x/auth/session": failure(401, "Sign in again."),
    });
    await act(() => app.queryClient.invalidateQueries({ queryKey: ["me", "tokens"] }));
    await waitFor(() => expect(app.location()).toBe("/sign-in?redirect=%2Fsettings%2Ftokens%3Ftab%3D1"));
    await screen.findByRole("heading", { name: "Sign in to Assay" });

    server.set({
      ...signedIn(),
      "GET /api/v1/x/me/tokens": json({ result: [] }),
      "POST /api/v1/x/auth/sign-in": json({ result: { ...sessionBody(), csrf_token: "csrf-new" } }),
    });
    fireEvent.change(screen.getByLabelText("E-mail"), { target: { value: "admin@localhost" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "correct horse battery" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(app.location()).toBe("/settings/tokens?tab=1"));
    await screen.findByRole("heading", { level: 1, name: "API tokens" });
  });
});

describe("the account menu", () => {
  it("opens from the keyboard, closes with Escape, and signs out (with the CSRF token) to the sign-in page", async () => {
    const server = fakeApi({ ...signedIn(), "POST /api/v1/x/auth/sign-out": noContent });
    const app = await renderApp("/projects");
    const button = await screen.findByRole("button", { name: "Account: Ada Admin" });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    fireEvent.keyDown(button, { key: "ArrowDown" });
    await waitFor(() => expect(button.getAttribute("aria-expanded")).toBe("true"));
    await waitFor(() => expect(document.activeElement?.textContent).toBe("API tokens"));
    fireEvent.keyDown(document.activeElement!, { key: "ArrowDown" });
    expect(document.activeElement?.textContent).toBe("Sign out");
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(button);

    fireEvent.click(button);
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(app.location()).toBe("/sign-in"));
    const [signOut] = server.callsTo("POST /api/v1/x/auth/sign-out");
    expect(signOut!.headers["x-csrf-token"]).toBe("csrf-1234");
  });

  it("signs out everywhere", async () => {
    const server = fakeApi({ ...signedIn(), "POST /api/v1/x/auth/sign-out-everywhere": noContent });
    const app = await renderApp("/projects");
    fireEvent.click(await screen.findByRole("button", { name: "Account: Ada Admin" }));
    fireEvent.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    await waitFor(() => expect(app.location()).toBe("/sign-in"));
    expect(server.callsTo("POST /api/v1/x/auth/sign-out-everywhere")).toHaveLength(1);
  });

  it("switches projects from the top bar", async () => {
    fakeApi(signedIn([project({ id: 1, name: "Demo" }), project({ id: 2, name: "Backend" })]));
    const app = await renderApp("/projects/1");
    const switcher = await screen.findByRole("button", { name: "Project: Demo" });
    fireEvent.click(switcher);
    fireEvent.click(screen.getByRole("link", { name: "Backend" }));
    await waitFor(() => expect(app.location()).toBe("/projects/2"));
    expect(switcher.getAttribute("aria-expanded")).toBe("false");
  });
});

function sessionBody() {
  return { user: { id: 1, name: "Ada Admin", email: "admin@localhost", role: "administrator", is_admin: true } };
}

describe("a server that cannot be reached", () => {
  it("says so, and loads the page again on request", async () => {
    const server = fakeApi({
      ...signedIn(),
      "GET /api/v1/x/auth/session": failure(503, "The server is starting; try again in a moment."),
    });
    await renderApp("/projects");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The server is starting; try again in a moment.");
    server.set(signedIn());
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Projects" })).toBeTruthy();
  });
});
