import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, session, signedIn } from "../../test-support/fake-api";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

const inviteLink = {
  email: "grace@example.com",
  name: "Grace Hopper",
  purpose: "invite",
  expires_at: "2030-01-08T10:00:00.000Z",
};

function typePasswords(password: string, repeat: string) {
  fireEvent.change(screen.getByLabelText("New password"), { target: { value: password } });
  fireEvent.change(screen.getByLabelText("Repeat the password"), { target: { value: repeat } });
  fireEvent.click(screen.getByRole("button", { name: "Set password and sign in" }));
}

describe("invite and password links", () => {
  it("shows whom an invite is for, checks the rule and the repeat, then signs in and opens the projects", async () => {
    const server = fakeApi({
      "GET /api/v1/x/auth/links/tok_123": json({ result: inviteLink }),
      "POST /api/v1/x/auth/password": json({ result: session({ name: "Grace Hopper", is_admin: false }) }),
      ...signedIn(),
    });
    const app = await renderApp("/invite/tok_123");
    expect(await screen.findByRole("heading", { name: "Welcome to Assay, Grace Hopper" })).toBeTruthy();
    expect(screen.getByText("grace@example.com")).toBeTruthy();
    const password = screen.getByLabelText("New password");
    expect(password.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(password.getAttribute("aria-describedby")!)?.textContent).toMatch(
      /^At least 12 characters\./,
    );

    typePasswords("short", "short");
    expect(await screen.findByText("The password must be at least 12 characters long (it has 5).")).toBeTruthy();
    expect(password.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(password));

    typePasswords("a long passphrase", "a long passphrasf");
    expect(await screen.findByText("The two passwords differ: type the same password twice.")).toBeTruthy();
    expect(server.callsTo("POST /api/v1/x/auth/password")).toHaveLength(0);

    typePasswords("a long passphrase", "a long passphrase");
    await waitFor(() => expect(app.location()).toBe("/projects"));
    expect(server.callsTo("POST /api/v1/x/auth/password")[0]!.body).toEqual({
      token: "tok_123",
      password: "a long passphrase",
    });
  });

  it("says so when a reset link was used or expired (410)", async () => {
    fakeApi({ "GET /api/v1/x/auth/links/old": failure(410, "This link was used already.") });
    await renderApp("/set-password/old");
    expect(await screen.findByRole("heading", { name: "This link cannot be used" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toMatch(/used already or it has expired/);
    expect(screen.getByRole("link", { name: "Go to sign-in" })).toBeTruthy();
  });

  it("shows the server's field message when it refuses the password", async () => {
    fakeApi({
      "GET /api/v1/x/auth/links/tok": json({ result: { ...inviteLink, purpose: "password" } }),
      "POST /api/v1/x/auth/password": failure(422, "The given data was invalid.", {
        password: ["The password must not be longer than 1024 characters."],
      }),
    });
    await renderApp("/set-password/tok");
    expect(await screen.findByRole("heading", { name: "Set a new password" })).toBeTruthy();
    typePasswords("x".repeat(20), "x".repeat(20));
    expect(await screen.findByText("The password must not be longer than 1024 characters.")).toBeTruthy();
  });
});
