import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getCsrfToken, setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, session, signedIn, signedOut } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function fillAndSubmit(email: string, password: string) {
  fireEvent.change(screen.getByLabelText("E-mail"), { target: { value: email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("the sign-in page", () => {
  it("signs in and goes to the projects", async () => {
    const server = fakeApi({
      ...signedOut,
      "POST /api/v1/x/auth/sign-in": json({ result: session() }),
      "GET /api/v1/projects": json({ result: [], page: null, next_page: null }),
    });
    const app = await renderApp("/sign-in");
    await screen.findByRole("heading", { name: "Sign in to Assay" });
    expect(document.title).toBe("Sign in · Assay");
    fillAndSubmit(" admin@localhost ", "correct horse battery");
    await waitFor(() => expect(app.location()).toBe("/projects"));
    expect(server.callsTo("POST /api/v1/x/auth/sign-in")[0]!.body).toEqual({
      email: "admin@localhost",
      password: "correct horse battery",
    });
    expect(getCsrfToken()).toBe("csrf-1234");
  });

  it("shows the server's message for a wrong password and empties the password", async () => {
    fakeApi({ ...signedOut, "POST /api/v1/x/auth/sign-in": failure(401, "The e-mail or password is wrong.") });
    await renderApp("/sign-in");
    await screen.findByRole("heading", { name: "Sign in to Assay" });
    fillAndSubmit("admin@localhost", "nope");
    expect((await screen.findByRole("alert")).textContent).toBe("The e-mail or password is wrong.");
    expect((screen.getByLabelText("Password") as HTMLInputElement).value).toBe("");
  });

  it("says how long to wait after too many attempts, and blocks the button until then", async () => {
    fakeApi({
      ...signedOut,
      "POST /api/v1/x/auth/sign-in": failure(429, "Too many failed sign-ins for this account.", undefined, {
        "retry-after": "90",
      }),
    });
    await renderApp("/sign-in");
    await screen.findByRole("heading", { name: "Sign in to Assay" });
    fillAndSubmit("admin@localhost", "nope");
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Too many failed sign-ins for this account. Try again in 2 minutes.",
    );
    const button = (await screen.findByRole("button", { name: /Try again in/ })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe("Try again in 2 minutes");
  });

  it("goes back to the page the user opened (?redirect=), but never to another site", async () => {
    fakeApi({ ...signedOut, ...signedInAfterSignIn() });
    const app = await renderApp("/sign-in?redirect=%2Fprojects%2F1%2Fflaky%3Fsort%3Dname");
    expect(await screen.findByText("Sign in to continue to the page you opened.")).toBeTruthy();
    fillAndSubmit("admin@localhost", "correct horse battery");
    await waitFor(() => expect(app.location()).toBe("/projects/1/flaky?sort=name"));
  });

  it.each(["https://evil.example/", "//evil.example/x", "/\\evil.example", "/sign-in"])(
    "ignores the redirect %s",
    async (target) => {
      fakeApi({ ...signedOut, ...signedInAfterSignIn() });
      const app = await renderApp(`/sign-in?redirect=${encodeURIComponent(target)}`);
      await screen.findByRole("heading", { name: "Sign in to Assay" });
      fillAndSubmit("admin@localhost", "correct horse battery");
      await waitFor(() => expect(app.location()).toBe("/projects"));
    },
  );

  it("sends someone already signed in straight on", async () => {
    fakeApi(signedIn());
    const app = await renderApp("/sign-in?redirect=%2Fsettings%2Ftokens");
    await waitFor(() => expect(app.location()).toBe("/settings/tokens"));
  });
});

function signedInAfterSignIn() {
  const answers = signedIn();
  return {
    "POST /api/v1/x/auth/sign-in": json({ result: session() }),
    "GET /api/v1/projects": answers["GET /api/v1/projects"]!,
    "GET /api/v1/projects/1": answers["GET /api/v1/projects/1"]!,
  };
}
