import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { failure, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { insightCase, source } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function flakyApi(cases = [insightCase()]) {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/x/projects/1/automation/cases": json(page(cases)),
    "GET /api/v1/projects/1/automation/sources": json(page([source(), source({ id: 3, name: "api-contract" })])),
    "GET /api/v1/x/projects/1/insight-settings": json({
      result: { flaky_window: 30, flaky_threshold_percent: 10, flaky_min_results: 5 },
    }),
  });
}

const casesCalls = (server: ReturnType<typeof flakyApi>) =>
  server.callsTo("GET /api/v1/x/projects/1/automation/cases").map((call) => call.search.toString());

describe("the flaky tests page", () => {
  it("lists flaky tests with their percent, reasons, recent results and quarantine, linking to each", async () => {
    const server = flakyApi([
      insightCase(),
      insightCase({
        id: 14,
        name: "payments <img src=x onerror=alert(1)> case 13",
        folder: "payments",
        source_id: 3,
        flaky_percent: 55,
        flaky_reasons: ["same_commit", "flip_rate"],
        recent_outcomes: "PFpF",
        last_failed_at: null,
        quarantine: { reason: "Known", expires_at: null, created_at: "2026-11-29T00:00:00Z", created_by: 1 },
      }),
    ]);
    await renderApp("/projects/1/flaky");
    const table = await screen.findByRole("table", { name: "Flaky tests" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    const first = within(rows[0]!);
    expect(first.getByRole("link", { name: "account (flaky) case 4" }).getAttribute("href")).toBe(
      "/automation/cases/45",
    );
    expect(first.getByText("62%")).toBeTruthy();
    expect(first.getByText("Flips often")).toBeTruthy();
    expect(first.getByRole("img").getAttribute("aria-label")).toBe(
      "30 recent results, oldest first: 21 passed, 9 failed; latest passed.",
    );
    await within(rows[0]!).findByText("frontend-e2e");
    const second = within(rows[1]!);
    // untrusted names are text
    expect(second.getByRole("link", { name: "payments <img src=x onerror=alert(1)> case 13" })).toBeTruthy();
    expect(table.querySelector("img")).toBeNull();
    expect(second.getByText("Passed and failed on one commit")).toBeTruthy();
    expect(second.getByText("Quarantined")).toBeTruthy();
    expect(second.getByText("Never")).toBeTruthy();
    expect(second.getByRole("img").getAttribute("aria-label")).toContain("1 contradicted a result on the same commit");
    expect(casesCalls(server)[0]).toBe("sort=flaky_percent&order=desc&page=1&per_page=50&flaky=true");
  });

  it("sorts by the clicked header, through the URL", async () => {
    const server = flakyApi();
    const app = await renderApp("/projects/1/flaky");
    const table = await screen.findByRole("table", { name: "Flaky tests" });
    const flaky = within(table).getByRole("columnheader", { name: /Flaky/ });
    expect(flaky.getAttribute("aria-sort")).toBe("descending");
    expect(
      within(table)
        .getByRole("columnheader", { name: /Folder/ })
        .getAttribute("aria-sort"),
    ).toBeNull();

    fireEvent.click(within(within(table).getByRole("columnheader", { name: /Test/ })).getByRole("button"));
    await waitFor(() => expect(app.location()).toBe("/projects/1/flaky?sort=name"));
    await waitFor(() => expect(casesCalls(server).at(-1)).toBe("sort=name&order=asc&page=1&per_page=50&flaky=true"));
    const header = within(await screen.findByRole("table", { name: "Flaky tests" })).getByRole("columnheader", {
      name: /Test/,
    });
    expect(header.getAttribute("aria-sort")).toBe("ascending");

    fireEvent.click(within(header).getByRole("button"));
    await waitFor(() => expect(app.location()).toBe("/projects/1/flaky?sort=name&order=desc"));
  });

  it("filters by source, quarantine and name, held in the URL", async () => {
    const server = flakyApi();
    const app = await renderApp("/projects/1/flaky?source=3&quarantined=no&name=cart&page=2");
    await screen.findByRole("table", { name: "Flaky tests" });
    expect(casesCalls(server)[0]).toBe(
      "sort=flaky_percent&order=desc&page=2&per_page=50&source_id=3&flaky=true&quarantined=false&name=cart",
    );
    expect((screen.getByLabelText("Name contains") as HTMLInputElement).value).toBe("cart");
    await waitFor(() => expect((screen.getByLabelText("Source") as HTMLSelectElement).value).toBe("3"));
    expect((screen.getByLabelText("Quarantine") as HTMLSelectElement).value).toBe("no");

    fireEvent.change(screen.getByLabelText("Quarantine"), { target: { value: "yes" } });
    await waitFor(() => expect(app.location()).toBe("/projects/1/flaky?source=3&quarantined=yes&name=cart"));
    fireEvent.change(screen.getByLabelText("Name contains"), { target: { value: "checkout" } });
    await waitFor(() => expect(app.location()).toBe("/projects/1/flaky?source=3&quarantined=yes&name=checkout"));
    await waitFor(() => expect(casesCalls(server).at(-1)).toContain("quarantined=true&name=checkout"));
  });

  it("says when no test is flaky, and when none matches the filters", async () => {
    flakyApi([]);
    const view = await renderApp("/projects/1/flaky");
    expect(await screen.findByRole("heading", { name: "No flaky tests" })).toBeTruthy();
    view.unmount();
    flakyApi([]);
    const app = await renderApp("/projects/1/flaky?name=zzz");
    expect(await screen.findByRole("heading", { name: "No flaky tests match these filters" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Clear the filters" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1/flaky"));
  });

  it("shows a failed load with the server's message", async () => {
    fakeApi({
      ...signedIn(),
      "GET /api/v1/x/projects/1/automation/cases": failure(403, "You do not have access to project 1."),
      "GET /api/v1/projects/1/automation/sources": json(page([])),
      "GET /api/v1/x/projects/1/insight-settings": failure(403, "You do not have access to project 1."),
    });
    await renderApp("/projects/1/flaky");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("You do not have access to project 1.");
  });
});
