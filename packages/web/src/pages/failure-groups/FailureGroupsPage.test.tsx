import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { failureGroup } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";
import { sinceTime } from "./search";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function groupsApi(groups = [failureGroup()]) {
  return fakeApi({ ...signedIn(), "GET /api/v1/x/projects/1/failure-groups": json(page(groups)) });
}

const listCalls = (server: ReturnType<typeof groupsApi>) =>
  server.callsTo("GET /api/v1/x/projects/1/failure-groups").map((call) => call.search);

describe("the failure groups page", () => {
  it("lists groups with their normalised message, counts and first/last runs", async () => {
    const server = groupsApi([
      failureGroup(),
      failureGroup({ id: 6, type: null, message: "expected <num> to equal <num>" }),
    ]);
    await renderApp("/projects/1/failure-groups");
    const table = await screen.findByRole("table", { name: "Failure groups" });
    const rows = within(table).getAllByRole("row").slice(1);
    const link = within(rows[0]!).getByRole("link", { name: /java\.net\.ConnectException/ });
    expect(link.getAttribute("href")).toBe("/failure-groups/5");
    expect(within(link).getByText("<ip>").className).toBe("failure-message__placeholder");
    expect(within(rows[0]!).getByRole("link", { name: "run 4" }).getAttribute("href")).toBe("/automation/runs/4");
    expect(within(rows[0]!).getByRole("link", { name: "run 72" }).getAttribute("href")).toBe("/automation/runs/72");
    expect(within(rows[0]!).getByText("18")).toBeTruthy();
    expect(within(rows[1]!).getByText("No exception type")).toBeTruthy();
    expect(within(rows[1]!).getAllByText("<num>")).toHaveLength(2);
    expect(
      within(table)
        .getByRole("columnheader", { name: /Last seen/ })
        .getAttribute("aria-sort"),
    ).toBe("descending");
    expect(listCalls(server)[0]!.toString()).toBe("sort=failure_groups%3Alast_seen_at&order=desc&page=1&per_page=50");
  });

  it("sorts by a header and filters by when last seen, through the URL", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-30T12:34:56Z"));
    const server = groupsApi();
    const app = await renderApp("/projects/1/failure-groups");
    const table = await screen.findByRole("table", { name: "Failure groups" });
    fireEvent.click(within(within(table).getByRole("columnheader", { name: /Tests/ })).getByRole("button"));
    await waitFor(() => expect(app.location()).toBe("/projects/1/failure-groups?sort=test_count"));
    await waitFor(() => expect(listCalls(server).at(-1)!.get("sort")).toBe("failure_groups:test_count"));

    fireEvent.click(screen.getByRole("radio", { name: "7 days" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1/failure-groups?sort=test_count&since=7d"));
    await waitFor(() => expect(listCalls(server).at(-1)!.get("since")).toBe("2026-11-23T12:34:00.000Z"));
  });

  it("says when there are no groups, or none in the chosen time", async () => {
    groupsApi([]);
    const app = await renderApp("/projects/1/failure-groups?since=24h");
    expect(await screen.findByRole("heading", { name: "No failure groups seen in that time" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show all failure groups" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1/failure-groups"));
    expect(await screen.findByRole("heading", { name: "No failure groups yet" })).toBeTruthy();
  });
});

describe("sinceTime", () => {
  it("rounds down to the minute", () => {
    expect(sinceTime("24h", Date.parse("2026-11-30T12:34:56Z"))).toBe("2026-11-29T12:34:00.000Z");
    expect(sinceTime(undefined)).toBeUndefined();
  });
});
