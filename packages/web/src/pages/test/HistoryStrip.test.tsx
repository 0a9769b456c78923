import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../../api/client";
import { fakeApi, json, page, signedIn } from "../../test-support/fake-api";
import { historyItem, insightCase } from "../../test-support/insight-fixtures";
import { renderApp } from "../../test-support/render";

vi.mock("uplot", () => import("../../test-support/fake-uplot"));

afterEach(() => {
  cleanup();
  setCsrfToken(null);
  vi.unstubAllGlobals();
});

/** Results newest first, as the API sends them: run 13 (failed, newest), 12 (skipped), 11 (passed). */
const HISTORY = [
  historyItem({ id: 3, run_id: 13, run_name: "nightly #13", status: 3, status_id: 3, message: "boom <b>x</b>" }),
  historyItem({ id: 2, run_id: 12, run_name: "nightly #12", status: 1, status_id: 6, elapsed: null }),
  historyItem({ id: 1, run_id: 11, run_name: "nightly #11", status: 2, status_id: 2 }),
];

async function renderStrip() {
  fakeApi({
    ...signedIn(),
    "GET /api/v1/x/automation/cases/45": json({ result: insightCase() }),
    "GET /api/v1/x/automation/cases/45/history": json(page(HISTORY)),
    "GET /api/v1/x/automation/cases/45/failure-groups": json(page([])),
    "GET /api/v1/x/projects/1/insight-settings": json({
      result: { flaky_window: 30, flaky_threshold_percent: 10, flaky_min_results: 5 },
    }),
    "GET /api/v1/projects/1/automation/sources": json(page([])),
    "GET /api/v1/automation/runs/11": json({ result: {}, expands: {} }),
  });
  const app = await renderApp("/automation/cases/45");
  const strip = await screen.findByRole("region", { name: "Last 3 results" });
  return { app, strip, cells: within(strip).getAllByRole("link") };
}

describe("the history strip", () => {
  it("has one cell per result, oldest left, coloured and shaped by outcome, each naming its result", async () => {
    const { strip, cells } = await renderStrip();
    expect(cells.map((cell) => cell.getAttribute("href"))).toEqual([
      "/automation/runs/11",
      "/automation/runs/12",
      "/automation/runs/13",
    ]);
    expect(cells.map((cell) => cell.getAttribute("data-outcome"))).toEqual(["passed", "neutral", "failed"]);
    expect(cells[2]!.getAttribute("aria-label")).toMatch(/^Failed in nightly #13 · 1 s · .* · boom <b>x<\/b>$/);
    // the message is text, never markup
    expect(strip.querySelector("b")).toBeNull();
    expect(cells[2]!.querySelector("title")!.textContent).toBe(cells[2]!.getAttribute("aria-label"));
    const bars = cells.map((cell) => Number(cell.querySelector(".history-strip__bar")!.getAttribute("height")));
    expect(bars[2]).toBeGreaterThan(bars[0]!);
    expect(bars[0]).toBeGreaterThan(bars[1]!);
    expect(strip.textContent).toContain(
      "Last 3 results, oldest first: 1 passed, 1 failed, 1 neither passed nor failed. Latest: failed.",
    );
  });

  it("is one Tab stop: the arrow keys, Home and End move between results", async () => {
    const { cells } = await renderStrip();
    expect(cells.map((cell) => cell.getAttribute("tabindex"))).toEqual(["-1", "-1", "0"]);
    cells[2]!.focus();
    fireEvent.keyDown(cells[2]!, { key: "ArrowLeft" });
    await waitFor(() => expect(document.activeElement).toBe(cells[1]));
    expect(cells.map((cell) => cell.getAttribute("tabindex"))).toEqual(["-1", "0", "-1"]);
    fireEvent.keyDown(cells[1]!, { key: "Home" });
    await waitFor(() => expect(document.activeElement).toBe(cells[0]));
    fireEvent.keyDown(cells[0]!, { key: "ArrowLeft" });
    expect(document.activeElement).toBe(cells[0]);
    fireEvent.keyDown(cells[0]!, { key: "End" });
    await waitFor(() => expect(document.activeElement).toBe(cells[2]));
    // the focused result is spelled out under the strip
    expect(document.querySelector(".history-strip__detail")!.textContent).toMatch(/^Failed in nightly #13/);
  });

  it("opens a result's run with Enter or a click, inside the app", async () => {
    const { app, cells } = await renderStrip();
    cells[0]!.focus();
    fireEvent.keyDown(cells[0]!, { key: "Enter" });
    await waitFor(() => expect(app.location()).toBe("/automation/runs/11"));
  });

  it("leaves a modified click to the browser (new tab)", async () => {
    const { app, cells } = await renderStrip();
    const event = new MouseEvent("click", { bubbles: true, cancelable: true, ctrlKey: true });
    cells[1]!.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
    expect(app.location()).toBe("/automation/cases/45");
  });
});
