import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { type FakeRoute, fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { automationRun } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";
import {
  compact,
  comparedTest,
  comparison,
  ROWS,
  runTestDetail,
  runTests,
  STATUSES,
} from "../../test-support/run-fixtures";
import { RUN_POLL_MS } from "./hooks";

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

// happy-dom lays nothing out: give elements the box a browser gives the table's scroll container
const saved = ["clientHeight", "clientWidth"].map(
  (name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const,
);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 640 });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1024 });
});
afterAll(() => {
  for (const [name, descriptor] of saved) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
  }
});

const E = "\u001b";

const RUN = automationRun({
  id: 75,
  name: "CI build 75",
  status: 3,
  success_count: 2,
  failure_count: 2,
  status5_count: 1,
  total_count: 5,
  links: [
    { name: "Build log", url: "https://ci.example.com/75", note: null },
    { name: "Evil", url: "javascript:alert(1)", note: null },
  ],
  fields: [
    { type: 1, name: "Commit", value: "3f2a9c1e5b7d4f60a8c2e1b3d5f7a9c0e2b4d6f8", meta: null, is_highlight: false },
  ],
  threads: [],
});

function runApi(extra: Record<string, FakeRoute> = {}) {
  return fakeApi({
    ...signedIn(),
    "GET /api/v1/automation/runs/75": json({
      result: RUN,
      expands: {
        automation_sources: [{ id: 2, name: "frontend-e2e" }],
        configs: [],
        milestones: [],
        statuses: STATUSES,
      },
    }),
    "GET /api/v1/x/automation/runs/75/comparison": json({ result: comparison() }),
    "GET /api/v1/projects/1/automation/runs": json(
      page([RUN, automationRun({ id: 74, name: "CI build 74" }), automationRun({ id: 70, name: "CI build 70" })]),
    ),
    "GET /api/v1/automation/runs/75/tests": json(page(runTests(ROWS.slice(0, 2)))),
    "GET /api/v1/x/automation/runs/75/tests/compact": json({ result: compact(ROWS) }),
    "GET /api/v1/x/automation/runs/75/failure-groups": json(page([])),
    "GET /api/v1/x/automation/run-tests/1002": json({
      result: runTestDetail({
        id: 1002,
        automation_case_id: 502,
        fields: [
          { type: 1, name: "Browser", value: "firefox", meta: null, is_highlight: false },
          {
            type: 4,
            name: "Failure",
            value: `${E}[31mAssertionError: expected 3 but was 4${E}[0m\n    at <img src=x onerror="window.__xss=3">`,
            meta: { message: "expected 3 but was 4", type: "AssertionError" },
            is_highlight: true,
          },
          { type: 5, name: "Screenshot", value: "javascript:window.__xss=5", meta: null, is_highlight: false },
          { type: 3, name: "Report", value: "<b>bold</b>", meta: null, is_highlight: false },
        ],
        artifacts: [
          { name: "shot.png", url: "https://ci.example.com/shot.png", note: null, mime_type: "image/png", size: 2048 },
          { name: "bad", url: "javascript:window.__xss=6", note: null, mime_type: null, size: null },
        ],
      }),
    }),
    ...extra,
  });
}

const grid = () => screen.getByRole("grid", { name: "Tests of CI build 75" });
const rowNames = () =>
  Array.from(grid().querySelectorAll("[data-test-row] .test-grid__name"), (element) => element.textContent);

async function allLoaded() {
  await waitFor(() => expect(grid().getAttribute("data-complete")).toBe("true"));
}

describe("the run page", () => {
  it("shows the header, counts bar and details of the run", async () => {
    runApi();
    await renderApp("/automation/runs/75");
    expect(await screen.findByRole("heading", { level: 1, name: "CI build 75" })).toBeTruthy();
    const facts = screen.getByRole("list", { name: "About this run" });
    expect(within(facts).getByText("Failure")).toBeTruthy();
    expect(within(facts).getByText("frontend-e2e")).toBeTruthy();
    await waitFor(() => expect(within(facts).getByText("3f2a9c1e")).toBeTruthy());
    expect(within(facts).getByText("main")).toBeTruthy();
    expect(screen.getAllByRole("img", { name: "2 passed, 2 failed, 1 skipped, 0 other" }).length).toBeGreaterThan(0);
    expect(document.title).toBe("CI build 75 (run 75) · Assay");
    // links: http(s) only
    const details = screen.getByRole("region", { name: "Run details" });
    expect(within(details).getByRole("link", { name: "Build log (opens in a new tab)" }).getAttribute("rel")).toBe(
      "noopener noreferrer nofollow",
    );
    expect(within(details).queryByRole("link", { name: /Evil/ })).toBeNull();
    expect(within(details).getByText("javascript:alert(1)")).toBeTruthy();
  });

  it("shows the first page of tests at once, then every test", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = runApi({
      "GET /api/v1/x/automation/runs/75/tests/compact": async () => {
        await held;
        return json({ result: compact(ROWS) });
      },
    });
    await renderApp("/automation/runs/75");
    // in the table's order (failures first), as the server sorted them
    await waitFor(() => expect(rowNames()).toEqual(["totals", "adds items"]));
    expect(grid().getAttribute("data-complete")).toBe("false");
    expect(screen.getByText(/Showing the first 2 of 5 tests/)).toBeTruthy();
    // filters wait for every test
    expect((screen.getByRole("searchbox") as HTMLInputElement).disabled).toBe(true);
    const [first] = server.callsTo("GET /api/v1/automation/runs/75/tests");
    expect(Object.fromEntries(first!.search)).toEqual({
      per_page: "100",
      sort: "automation_run_tests:status",
      order: "desc",
    });
    await act(async () => release());
    await allLoaded();
    expect(rowNames()).toEqual([
      '<img src=x onerror="window.__xss=1"> renders',
      "totals",
      "pays by invoice",
      "adds items",
      "applies coupon",
    ]);
    expect(grid().getAttribute("aria-rowcount")).toBe("6");
    expect(screen.getByText("5 tests")).toBeTruthy();
    // untrusted names and messages are text
    expect(grid().querySelector("img, script")).toBeNull();
    expect(screen.getAllByText("<script>window.__xss=2</script>").length).toBeGreaterThan(0);
  });

  it("filters by status chips and searches, keeping both in the URL", async () => {
    runApi();
    const app = await renderApp("/automation/runs/75");
    await allLoaded();
    const failed = screen.getByRole("button", { name: "Failed 2" });
    expect(screen.getByRole("button", { name: "Passed 2" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Skipped 1" })).toBeTruthy();
    fireEvent.click(failed);
    expect(failed.getAttribute("aria-pressed")).toBe("true");
    expect(rowNames()).toEqual(['<img src=x onerror="window.__xss=1"> renders', "totals"]);
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?status=3"));

    fireEvent.click(failed);
    fireEvent.change(screen.getByRole("searchbox"), { target: { value: "CHECKOUT" } });
    expect(rowNames()).toEqual(['<img src=x onerror="window.__xss=1"> renders', "applies coupon"]);
    expect(screen.getByRole("button", { name: "Failed 1" })).toBeTruthy();
    expect(screen.getByText("2 of 5 tests")).toBeTruthy();
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?q=CHECKOUT"));
  });

  it("reads filters, sort and grouping from the URL", async () => {
    runApi();
    await renderApp("/automation/runs/75?sort=duration&order=asc&group=folder&q=a");
    await allLoaded();
    expect((screen.getByRole("searchbox") as HTMLInputElement).value).toBe("a");
    const groups = Array.from(grid().querySelectorAll(".test-grid__group-label"), (e) => e.textContent);
    expect(groups).toEqual(["cart", "checkout", "payments"]);
    expect(rowNames()).toEqual(["adds items", "totals", "applies coupon", "pays by invoice"]);
    const header = within(grid()).getByRole("columnheader", { name: /Duration/ });
    expect(header.getAttribute("aria-sort")).toBe("ascending");
    // a group folds
    fireEvent.click(within(grid()).getByRole("button", { name: "cart" }));
    expect(rowNames()).toEqual(["applies coupon", "pays by invoice"]);
    expect(within(grid()).getByRole("button", { name: "cart" }).getAttribute("aria-expanded")).toBe("false");
  });

  it("sorts from the column headers", async () => {
    runApi();
    const app = await renderApp("/automation/runs/75");
    await allLoaded();
    fireEvent.click(within(grid()).getByRole("button", { name: /Test/ }));
    expect(rowNames()).toEqual([
      '<img src=x onerror="window.__xss=1"> renders',
      "adds items",
      "applies coupon",
      "pays by invoice",
      "totals",
    ]);
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?sort=name"));
    fireEvent.click(within(grid()).getByRole("button", { name: /Test/ }));
    expect(rowNames()[0]).toBe("totals");
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?sort=name&order=desc"));
  });

  it("opens a test's panel: its output as text with ANSI colours, safe links, history and failure group", async () => {
    runApi({
      "GET /api/v1/x/automation/runs/75/failure-groups": json(
        page([{ id: 9, message: "expected <num> but was <num>" }]),
      ),
    });
    const app = await renderApp("/automation/runs/75");
    await allLoaded();
    fireEvent.click(within(grid()).getByText("totals"));
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?test=1002"));
    const panel = await screen.findByRole("region", { name: "Test: totals" });
    expect(within(panel).getByRole("link", { name: "History of this test" }).getAttribute("href")).toBe(
      "/automation/cases/502",
    );
    expect(within(panel).getByRole("link", { name: "Failure group #9" }).getAttribute("href")).toBe(
      "/failure-groups/9",
    );
    await within(panel).findByText("firefox");
    // the Failure field first, its ANSI colour a class, its markup text
    const failure = panel.querySelector<HTMLElement>('pre[data-field="Failure"]')!;
    expect(failure.tagName).toBe("PRE");
    expect(failure.querySelector(".ansi-fg-1")?.textContent).toBe("AssertionError: expected 3 but was 4");
    expect(failure.textContent).toContain('at <img src=x onerror="window.__xss=3">');
    expect(failure.querySelector("img")).toBeNull();
    const names = Array.from(panel.querySelectorAll("dt"), (dt) => dt.firstChild?.textContent?.trim());
    expect(names[0]).toBe("Failure");
    // a javascript: URL is text, not a link; HTML is its source
    expect(within(panel).getByText("javascript:window.__xss=5").tagName).toBe("SPAN");
    expect(within(panel).queryByRole("link", { name: /xss/ })).toBeNull();
    expect(panel.querySelector('pre[data-field="Report"]')?.textContent).toBe("<b>bold</b>");
    expect(within(panel).getByText("HTML shown as text.")).toBeTruthy();
    expect(panel.querySelector("b")).toBeNull();
    expect(within(panel).getByRole("link", { name: "shot.png (opens in a new tab)" }).getAttribute("href")).toBe(
      "https://ci.example.com/shot.png",
    );
    expect(within(panel).queryByRole("link", { name: /bad/ })).toBeNull();

    fireEvent.click(within(panel).getByRole("button", { name: "Close test details" }));
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75"));
    expect(screen.queryByRole("region", { name: /^Test:/ })).toBeNull();
  });

  it("moves through the table with the keyboard: arrows, Enter opens, the panel follows, Escape closes", async () => {
    runApi();
    const app = await renderApp("/automation/runs/75");
    await allLoaded();
    const table = grid();
    act(() => table.focus());
    expect(table.getAttribute("aria-activedescendant")).toBe("test-row-1004");
    fireEvent.keyDown(table, { key: "ArrowDown" });
    expect(table.getAttribute("aria-activedescendant")).toBe("test-row-1002");
    fireEvent.keyDown(table, { key: "Enter" });
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?test=1002"));
    await screen.findByRole("region", { name: "Test: totals" });
    expect(within(table).getByText("totals").closest("[role=row]")?.getAttribute("aria-selected")).toBe("true");
    fireEvent.keyDown(table, { key: "End" });
    expect(table.getAttribute("aria-activedescendant")).toBe("test-row-1003");
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?test=1003"));
    fireEvent.keyDown(table, { key: "Escape" });
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75"));
    expect(document.activeElement).toBe(table);
  });

  it("follows a running run: its counts every few seconds, every test again when more have arrived", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const running = { ...RUN, is_completed: false, status: 4, success_count: 1, failure_count: 1, total_count: 2 };
      const server = runApi({
        "GET /api/v1/automation/runs/75": json({ result: running, expands: { statuses: STATUSES } }),
        "GET /api/v1/x/automation/runs/75/tests/compact": json({ result: compact(ROWS.slice(0, 2)) }),
      });
      await renderApp("/automation/runs/75");
      await allLoaded();
      expect(screen.getByText("2 tests")).toBeTruthy();
      expect(screen.getByText(/running: updates live/)).toBeTruthy();
      server.set({
        "GET /api/v1/automation/runs/75": json({ result: RUN, expands: { statuses: STATUSES } }),
        "GET /api/v1/x/automation/runs/75/tests/compact": json({ result: compact(ROWS) }),
      });
      await vi.advanceTimersByTimeAsync(RUN_POLL_MS + 100);
      await waitFor(() => expect(screen.queryByText(/running: updates live/)).toBeNull());
      await vi.advanceTimersByTimeAsync(10_000);
      await waitFor(() => expect(screen.getByText("5 tests")).toBeTruthy());
      expect(server.callsTo("GET /api/v1/x/automation/runs/75/tests/compact")).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("opens the test of a shared link", async () => {
    runApi();
    await renderApp("/automation/runs/75?test=1002");
    expect(await screen.findByRole("region", { name: "Test: totals" })).toBeTruthy();
  });
});

describe("the comparison section", () => {
  it("comes first: the baseline and its rule, the counts, and the tests of each list", async () => {
    runApi();
    await renderApp("/automation/runs/75");
    const section = await screen.findByRole("region", { name: "Compared with the baseline" });
    const heading = within(section).getByRole("heading", { level: 2 });
    const tests = screen.getByRole("heading", { level: 2, name: "Tests" });
    // eslint-style check of document order: the comparison before the tests
    expect(heading.compareDocumentPosition(tests) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    await within(section).findByRole("link", { name: "#74 CI build 74" });
    expect(section.textContent).toContain("the previous completed run of the same source, branch and configuration");
    const counts = within(section).getByRole("list", { name: "Comparison counts" });
    expect(
      within(counts)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["1 new failures", "1 fixed", "1 still failing", "1 slower", "0 new tests", "0 gone tests"]);
    expect(section.textContent).toContain("2 failed tests in this run: 1 not quarantined, 1 quarantined.");
    const list = (name: RegExp) => within(section).getByRole("region", { name });
    expect(
      within(list(/^New failures/))
        .getByRole("link", { name: "totals" })
        .getAttribute("href"),
    ).toBe("/automation/cases/501");
    expect(within(list(/^New failures/)).getByText("expected 3 but was 4")).toBeTruthy();
    expect(within(list(/^Still failing/)).getByText("Quarantined")).toBeTruthy();
    expect(within(list(/^Fixed/)).getByText("Failed")).toBeTruthy();
    expect(list(/^Slower/).textContent).toContain("800 ms → 2.4 s");
  });

  it("offers the listed tests of a long list as what they are: 50 of 100, then says where the rest are", async () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      comparedTest({ automation_case_id: 600 + i, name: `failing ${String(i).padStart(2, "0")}` }),
    );
    runApi({
      "GET /api/v1/x/automation/runs/75/comparison": json({
        result: comparison({
          counts: { ...comparison().counts, still_failing: 100 },
          tests: { ...comparison().tests, still_failing: many },
        }),
      }),
    });
    await renderApp("/automation/runs/75");
    const section = await screen.findByRole("region", { name: "Compared with the baseline" });
    const list = within(section).getByRole("region", { name: /^Still failing/ });
    fireEvent.click(within(list).getByRole("button", { name: "Show 50 of 100" }));
    expect(within(list).getAllByRole("link", { name: /^failing / })).toHaveLength(50);
    expect(list.textContent).toContain("50 more not listed: filter the tests below to see every one.");
  });

  it("compares with another run chosen in the picker, held in the URL", async () => {
    const server = runApi();
    const app = await renderApp("/automation/runs/75");
    const section = await screen.findByRole("region", { name: "Compared with the baseline" });
    const picker = within(section).getByLabelText("Baseline") as HTMLSelectElement;
    await within(picker).findByRole("option", { name: "#70 CI build 70" });
    expect(within(picker).queryByRole("option", { name: /#75/ })).toBeNull();
    server.set({
      "GET /api/v1/x/automation/runs/75/comparison": (call) =>
        json({
          result: comparison({
            baseline_rule: call.search.get("baseline_id") ? "requested" : "same_source",
            baseline: { ...comparison().baseline!, id: 70, name: "CI build 70" },
          }),
        }),
    });
    fireEvent.change(picker, { target: { value: "70" } });
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75?baseline=70"));
    await within(section).findByRole("link", { name: "#70 CI build 70" });
    expect(section.textContent).toContain("the run you chose");
    expect(server.callsTo("GET /api/v1/x/automation/runs/75/comparison").at(-1)!.search.get("baseline_id")).toBe("70");
  });

  it("says when there is no baseline, and offers the automatic one when a chosen baseline is refused", async () => {
    runApi({
      "GET /api/v1/x/automation/runs/75/comparison": (call) =>
        call.search.get("baseline_id")
          ? {
              status: 422,
              body: {
                message: "baseline_id: run 9 is not a run of this project.",
                errors: { baseline_id: ["not a run of this project"] },
              },
            }
          : json({ result: comparison({ baseline: null, baseline_rule: "none" }) }),
    });
    const app = await renderApp("/automation/runs/75?baseline=9");
    const section = await screen.findByRole("region", { name: "Compared with the baseline" });
    const alert = await within(section).findByRole("alert");
    expect(alert.textContent).toContain("baseline_id: run 9 is not a run of this project.");
    fireEvent.click(within(alert).getByRole("button", { name: "Use the automatic baseline" }));
    await waitFor(() => expect(app.location()).toBe("/automation/runs/75"));
    expect(await within(section).findByText(/No baseline: there is no earlier completed run/)).toBeTruthy();
  });
});
