import { cleanup, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, project, signedIn } from "../../test-support/fake-api";
import { failureGroupDetail } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

describe("the failure group page", () => {
  it("shows the type, message with placeholders, sample, frames, counts, tests and runs", async () => {
    fakeApi({
      ...signedIn([project({ id: 1, name: "Demo" })]),
      "GET /api/v1/x/failure-groups/5": json({
        result: failureGroupDetail({
          sample: "Connection refused: localhost/127.0.0.1:59676 <script>alert(1)</script>",
          frames: ["account.Spec.run (accountSpec.java)", "account.Client.connect (Client.java)"],
        }),
      }),
    });
    await renderApp("/failure-groups/5");
    expect(await screen.findByRole("heading", { level: 1, name: "Failure group 5" })).toBeTruthy();
    expect(screen.getByText("java.net.ConnectException")).toBeTruthy();
    const placeholder = screen.getByText("<ip>");
    expect(placeholder.tagName).toBe("ABBR");
    expect(placeholder.getAttribute("title")).toBe("Variable part: an IP address");
    // untrusted text stays text
    expect(screen.getByText("Connection refused: localhost/127.0.0.1:59676 <script>alert(1)</script>")).toBeTruthy();
    expect(document.querySelector("main script")).toBeNull();
    const frames = within(screen.getByRole("region", { name: "Stack frames that identify it" })).getAllByRole(
      "listitem",
    );
    expect(frames.map((frame) => frame.textContent)).toEqual([
      "account.Spec.run (accountSpec.java)",
      "account.Client.connect (Client.java)",
    ]);
    expect(screen.getByRole("link", { name: "run 4" }).getAttribute("href")).toBe("/automation/runs/4");
    expect(screen.getByRole("link", { name: "run 72" }).getAttribute("href")).toBe("/automation/runs/72");

    const tests = screen.getByRole("table", { name: "Tests with this failure" });
    expect(within(tests).getByRole("link", { name: "account (flaky) case 4" }).getAttribute("href")).toBe(
      "/automation/cases/45",
    );
    const runs = screen.getByRole("table", { name: "Recent runs with this failure" });
    expect(within(runs).getByRole("link", { name: "frontend-e2e #29" }).getAttribute("href")).toBe(
      "/automation/runs/72",
    );
    expect(screen.getByText("The newest 1 of 14 runs.")).toBeTruthy();
    // the group's project gets its navigation
    expect(await screen.findByRole("navigation", { name: "Project" })).toBeTruthy();
  });

  it("shows an unknown group as not found", async () => {
    fakeApi({ ...signedIn(), "GET /api/v1/x/failure-groups/9": failure(404, "Failure group 9 does not exist.") });
    await renderApp("/failure-groups/9");
    expect((await screen.findByRole("alert")).textContent).toContain("Failure group 9 does not exist.");
  });
});
