import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { insightCase, source } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

function slowApi() {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/x/projects/1/automation/cases": json(
      page([
        insightCase({ elapsed_average: 65_400_000, elapsed_p95: 120_000_000, elapsed_change_percent: 150 }),
        insightCase({
          id: 9,
          name: "fast one",
          elapsed_average: 850,
          elapsed_p95: 1_250,
          elapsed_change_percent: null,
        }),
      ]),
    ),
    "GET /api/v1/projects/1/automation/sources": json(page([source()])),
  });
}

const casesCalls = (server: ReturnType<typeof slowApi>) =>
  server.callsTo("GET /api/v1/x/projects/1/automation/cases").map((call) => call.search.toString());

describe("the slowest tests page", () => {
  it("lists tests by mean duration with formatted durations and change", async () => {
    const server = slowApi();
    await renderApp("/projects/1/slowest");
    const table = await screen.findByRole("table", { name: "Slowest tests" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByText("1 min 5 s")).toBeTruthy();
    expect(within(rows[0]!).getByText("2 min")).toBeTruthy();
    expect(within(rows[0]!).getByText("+150%")).toBeTruthy();
    expect(within(rows[1]!).getByText("850 µs")).toBeTruthy();
    expect(within(rows[1]!).getByText("1.3 ms")).toBeTruthy();
    expect(within(rows[1]!).getByText("—").getAttribute("title")).toBe("Fewer than 10 timed results");
    expect(
      within(table)
        .getByRole("columnheader", { name: /Average/ })
        .getAttribute("aria-sort"),
    ).toBe("descending");
    expect(casesCalls(server)[0]).toBe("sort=elapsed_average&order=desc&page=1&per_page=50");
    expect((screen.getByRole("radio", { name: "Average duration" }) as HTMLInputElement).checked).toBe(true);
  });

  it("switches the ranking in the URL, from the choice or a header", async () => {
    const server = slowApi();
    const app = await renderApp("/projects/1/slowest?sort=elapsed_p95");
    await screen.findByRole("table", { name: "Slowest tests" });
    expect(casesCalls(server)[0]).toBe("sort=elapsed_p95&order=desc&page=1&per_page=50");
    expect((screen.getByRole("radio", { name: "p95 of the last 30" }) as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByRole("radio", { name: "Getting slower" }));
    await waitFor(() => expect(app.location()).toBe("/projects/1/slowest?sort=elapsed_change_percent"));
    await waitFor(() =>
      expect(casesCalls(server).at(-1)).toBe("sort=elapsed_change_percent&order=desc&page=1&per_page=50"),
    );

    const table = screen.getByRole("table", { name: "Slowest tests" });
    fireEvent.click(within(within(table).getByRole("columnheader", { name: /Average/ })).getByRole("button"));
    await waitFor(() => expect(app.location()).toBe("/projects/1/slowest"));
    fireEvent.click(
      within(
        within(screen.getByRole("table", { name: "Slowest tests" })).getByRole("columnheader", { name: /Average/ }),
      ).getByRole("button"),
    );
    await waitFor(() => expect(app.location()).toBe("/projects/1/slowest?order=asc"));
  });
});
