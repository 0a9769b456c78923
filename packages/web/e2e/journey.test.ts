import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { copyToDocs, screenshot } from "./support/screenshots.js";
import { ADMIN_EMAIL, type AssayServer, startAssay } from "./support/server.js";

/**
 * The acceptance journey, as one user does it, in Chromium against the real server (SQLite, seeded
 * with `assay-server demo`) and with the real CLI:
 *   1. sign in as the administrator;
 *   2. the Demo project's dashboard, its latest failed run from the runs list, the run's comparison with its
 *      baseline (new failures first) and the failing test's message in the test panel; then the flaky tests
 *      and the failure groups (the "done when": what failed and why, which tests are flaky and which
 *      failures share a cause, in under a minute — the time it took is printed);
 *   3. a 100,000-test run (seeded through the API before the browser starts): filter by status, search a
 *      name, with exact row counts;
 *   4. a failing test's history page: quarantine it with a reason, see the badge;
 *   5. an API token created on the tokens page, read from it and given to `assay automation:run:submit`;
 *   6. the uploaded run in the runs list, and at the address the CLI printed;
 *   7. sign out: back to sign-in, and a protected address asks for sign-in again.
 * Each step is a test of its own on one page (one session); a failed step skips the ones after it.
 *
 * Screenshots of each step go to e2e/screenshots/journey-*.png. With ASSAY_E2E_DOCS_SCREENSHOTS=1 the
 * curated set README.md shows (light theme, 1280×800) is also copied into docs/screenshots/:
 *   ASSAY_E2E_DOCS_SCREENSHOTS=1 npx vitest run packages/web/e2e/journey.test.ts
 */
const PASSWORD = "correct horse battery staple";
const CLI = fileURLToPath(new URL("../../cli/dist/main.js", import.meta.url));
const DOCS = process.env.ASSAY_E2E_DOCS_SCREENSHOTS === "1";
/** Bounds (the whole file stays under two minutes): start, demo and seeding; each step; the 100,000-test step. */
const SETUP_MS = 60_000;
const STEP_MS = 20_000;
const BIG_STEP_MS = 40_000;

// ---------------------------------------------------------------- the 100,000-test run

/** Seeded in "First project" (id 1, made at the first start), so the Demo's runs stay the demo's. */
const BIG = {
  projectId: 1,
  name: "Nightly full suite",
  source: "nightly",
  tests: 100_000,
  batch: 5_000,
} as const;
const AREAS = ["checkout", "cart", "search", "login", "profile"] as const;

/**
 * Test i: area AREAS[⌊i / 1000⌋ mod 5] (so each area has 20,000 tests), failed when i mod 250 = 7 (400,
 * 4 in every thousand: 80 per area), skipped when i mod 50 = 25 (2,000: 400 per area), passed otherwise
 * (97,600). Names carry a unique "#<5 digits>", so a search for one name finds exactly that test.
 */
const BIG_COUNTS = {
  failed: 400,
  skipped: 2_000,
  passed: 97_600,
  checkout: { failed: 80, skipped: 400, passed: 19_520 },
} as const;
const SEARCHED = 40_007; // a failure in the checkout area (⌊40007 / 1000⌋ mod 5 = 0, 40007 mod 250 = 7)

function bigName(i: number): string {
  return `${AREAS[Math.floor(i / 1000) % AREAS.length]} handles scenario #${String(i).padStart(5, "0")}`;
}

function bigMessage(i: number): string {
  return `expected total 100.00 but was ${(i % 100) + 0.5} for order ${i}`;
}

function bigBatch(from: number, to: number) {
  const tests = [];
  for (let i = from; i < to; i++) {
    const area = AREAS[Math.floor(i / 1000) % AREAS.length]!;
    const failed = i % 250 === 7;
    const skipped = i % 50 === 25;
    tests.push({
      key: `big${i}`,
      name: bigName(i),
      folder: `com.acme.${area}.Feature${i % 200}Test`,
      status: failed ? "failure" : skipped ? "skipped" : "passed",
      elapsed: 1_000 + ((i * 7919) % 400) * 1_000,
      ...(failed
        ? {
            fields: [
              {
                type: 4,
                name: "Failure",
                value: `java.lang.AssertionError: ${bigMessage(i)}\n    at com.acme.${area}.Feature${i % 200}Test.total(Feature${i % 200}Test.java:42)`,
                meta: { message: bigMessage(i), type: "java.lang.AssertionError" },
                is_highlight: true,
              },
            ],
          }
        : {}),
    });
  }
  return { tests };
}

// ---------------------------------------------------------------- the journey

describeInBrowser("the acceptance journey in Chromium, with the CLI", () => {
  let server: AssayServer;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let demoId: number;
  let bigRunId: number;
  let workDir: string;
  let stepFailed = false;
  let journeyStart = 0;
  let apiRequests = 0;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-journey-"));
    [server, browser] = await Promise.all([startAssay({ demo: true, adminPassword: PASSWORD }), launchBrowser()]);
    const projects = (await api("GET", "/projects")) as { result: { id: number; name: string }[] };
    demoId = projects.result.find((project) => project.name === "Demo")!.id;
    bigRunId = await seedBigRun();
    watched = await openPage(browser, server.url);
    page = watched.page;
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/")) apiRequests++;
    });
  }, SETUP_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });
  // a journey: once a step failed, the ones after it cannot mean anything
  beforeEach((context) => {
    if (stepFailed) context.skip("an earlier step of the journey failed");
  });
  afterEach((context) => {
    if (context.task.result?.state === "fail") stepFailed = true;
    expect(watched?.problems ?? []).toEqual([]);
  });

  async function api(method: "GET" | "POST", pathname: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${server.url}/api/v1${pathname}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: method === "POST" ? JSON.stringify(body ?? {}) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  }

  /** One run, one thread, appends of 5,000 tests, completed: what a CI job's upload does. */
  async function seedBigRun(): Promise<number> {
    const run = (await api("POST", `/projects/${BIG.projectId}/automation/runs`, {
      name: BIG.name,
      source: BIG.source,
    })) as { id: number };
    const thread = (await api("POST", `/automation/runs/${run.id}/threads`)) as { id: number };
    for (let from = 0; from < BIG.tests; from += BIG.batch) {
      await api("POST", `/automation/runs/threads/${thread.id}/append`, bigBatch(from, from + BIG.batch));
    }
    await api("POST", `/automation/runs/${run.id}/complete`);
    return run.id;
  }

  /**
   * A screenshot of the step (the whole page). With `docs`, also the picture for README.md: the viewport
   * (1280×800), or the top of the page down to the bottom of `docsDownTo`; copied into docs/screenshots/
   * under that name with ASSAY_E2E_DOCS_SCREENSHOTS=1.
   */
  async function shot(name: string, docs?: string, docsDownTo?: Locator) {
    // the pointer rests in the page's right margin: no hover effect in the pictures
    await page.mouse.move(1275, 795);
    await screenshot(page, `journey-${name}`);
    if (!docs) return;
    let clip: { x: number; y: number; width: number; height: number } | undefined;
    if (docsDownTo) {
      const box = await docsDownTo.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        return { bottom: rect.bottom + window.scrollY, width: document.documentElement.clientWidth };
      });
      clip = { x: 0, y: 0, width: box.width, height: Math.ceil(box.bottom) + 24 };
    }
    const file = await screenshot(page, `journey-${name}-docs`, clip ? { clip } : { fullPage: false });
    if (DOCS) copyToDocs(file, docs);
  }

  function project(): Locator {
    return page.getByRole("navigation", { name: "Project", exact: true });
  }

  /** The status chip of the run page's tests ("Failed 400"): its count as shown. */
  async function chipCount(status: string): Promise<string> {
    const chip = page.getByRole("group", { name: "Show tests by status" }).getByRole("button", {
      name: new RegExp(`^${status} `),
    });
    return (await chip.locator(".status-filter__count").textContent())!;
  }

  function testsSummary(): Locator {
    return page.locator(".run-tests__summary");
  }

  /** Waits for the run page's grid to hold every test of the run (the compact list), not just a first page. */
  async function allTestsLoaded(runName: string) {
    await page.locator(`[role="grid"][aria-label="Tests of ${runName}"][data-complete="true"]`).waitFor({
      timeout: 30_000,
    });
  }

  it("1. signs in as the administrator", { timeout: STEP_MS }, async () => {
    journeyStart = performance.now();
    await page.goto("/");
    await page.waitForURL("**/sign-in?redirect=*");
    await page.getByLabel("E-mail").fill(ADMIN_EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/projects");
    await page.getByRole("link", { name: "Demo", exact: true }).waitFor();
  });

  it("2. finds what failed in the Demo's latest failed run, and why", { timeout: STEP_MS }, async () => {
    // the latest failed run and its comparison, as the API tells them
    const failedRuns = (await api("GET", `/projects/${demoId}/automation/runs?status=3&per_page=15`)) as {
      total: number;
      result: { id: number; name: string }[];
    };
    const latest = failedRuns.result[0]!;
    const { result: comparison } = (await api("GET", `/x/automation/runs/${latest.id}/comparison?limit=50`)) as {
      result: {
        baseline: { id: number; name: string } | null;
        counts: Record<"new_failures" | "fixed" | "still_failing" | "slower", number>;
        failures: { total: number };
      };
    };
    expect(comparison.baseline).not.toBeNull();

    // the dashboard
    await page.getByRole("link", { name: "Demo", exact: true }).click();
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    await page.getByRole("table", { name: "Recent automation runs" }).getByRole("link").first().waitFor();
    await page.getByRole("table", { name: "The flakiest tests" }).getByRole("link").first().waitFor();
    await page.getByRole("table", { name: "The newest failure groups" }).getByRole("link").first().waitFor();
    await page.waitForFunction(() => {
      const canvases = [...document.querySelectorAll(".chart__plot canvas")] as HTMLCanvasElement[];
      return canvases.length === 3 && canvases.every((canvas) => canvas.width > 100 && canvas.height > 50);
    });
    await shot("2-dashboard", "dashboard", page.getByRole("figure", { name: "Pass rate per day" }));

    // the runs list, failed runs only, newest first
    await project().getByRole("link", { name: "Runs", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${demoId}/runs`);
    await page.getByLabel("Status", { exact: true }).selectOption({ label: "Failure" });
    await page.waitForURL((url) => url.searchParams.get("status") === "3");
    await page.locator(".runs__summary").getByText(`${failedRuns.total} runs`, { exact: true }).waitFor();
    const runs = page.getByRole("table", { name: "Automation runs", exact: true });
    const first = runs.getByRole("row").nth(1).getByRole("link", { name: latest.name, exact: true });
    await first.waitFor();
    await shot("2-runs-failed");
    await first.click();
    await page.waitForURL((url) => url.pathname === `/automation/runs/${latest.id}`);
    await page.getByRole("heading", { name: latest.name, level: 1 }).waitFor();

    // the comparison comes first, new failures first in it
    const compared = page.getByRole("region", { name: "Compared with the baseline" });
    const baselineLine = compared.locator(".comparison__baseline");
    await baselineLine.getByRole("link").waitFor();
    expect(await baselineLine.getByRole("link").textContent()).toBe(
      `#${comparison.baseline!.id} ${comparison.baseline!.name}`,
    );
    const tests = page.getByRole("region", { name: "Tests", exact: true });
    const [comparisonBox, testsBox] = await Promise.all([compared.boundingBox(), tests.boundingBox()]);
    expect(comparisonBox!.y).toBeLessThan(testsBox!.y);
    expect(await compared.getByRole("heading", { level: 3 }).allTextContents()).toEqual([
      `New failures (${comparison.counts.new_failures})`,
      `Fixed (${comparison.counts.fixed})`,
      `Still failing (${comparison.counts.still_failing})`,
      `Slower (${comparison.counts.slower})`,
    ]);

    // the failing test and why: failures come first in the table; its panel shows the message
    const failing = (await api("GET", `/automation/runs/${latest.id}/tests?status_id=3&per_page=100`)) as {
      result: { id: number; name: string; message: string | null }[];
    };
    expect(failing.result.length).toBe(comparison.failures.total);
    await allTestsLoaded(latest.name);
    const row = page.locator("[data-test-row]").first();
    const firstName = await row.locator(".test-grid__name").textContent();
    const failed = failing.result.find((test) => test.name === firstName)!;
    expect(failed, `the first row (${firstName}) is a failed test`).toBeDefined();
    expect(failed.message).toBeTruthy();
    await row.click();
    await page.waitForURL((url) => url.searchParams.get("test") === String(failed.id));
    const panel = page.getByRole("region", { name: `Test: ${failed.name}` });
    await panel.getByRole("heading", { name: "Message", level: 3 }).waitFor();
    expect(await panel.locator(".test-panel__message").textContent()).toBe(failed.message);
    // the stack trace is in its Failure field
    await panel.getByText(/ParentRunner\.java:413/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot("2-run-comparison-and-panel", "run", tests);
  });

  it("2. sees which tests are flaky and which failures share a cause", { timeout: STEP_MS }, async () => {
    const flaky = (await api(
      "GET",
      `/x/projects/${demoId}/automation/cases?flaky=true&sort=flaky_percent&order=desc&per_page=100`,
    )) as { result: { id: number; name: string }[] };
    expect(flaky.result.length).toBeGreaterThan(0);
    const groups = (await api("GET", `/x/projects/${demoId}/failure-groups?per_page=100`)) as {
      result: { id: number; test_count: number }[];
    };
    expect(groups.result.length).toBeGreaterThan(0);

    await project().getByRole("link", { name: "Flaky tests", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${demoId}/flaky`);
    const flakyTable = page.getByRole("table", { name: "Flaky tests", exact: true });
    await flakyTable.getByRole("row").nth(1).waitFor();
    const names = await flakyTable
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => row.querySelector("a")?.textContent ?? ""));
    expect(names.toSorted()).toEqual(flaky.result.map((test) => test.name).toSorted());
    expect(names.every((name) => name.includes("(flaky)"))).toBe(true);
    await shot("2-flaky-tests", "flaky-tests");

    // the flakiest test's story: its results flip between passed and failed
    await flakyTable.locator("tbody tr").first().getByRole("link").first().click();
    await page.waitForURL((url) => /^\/automation\/cases\/\d+$/.test(url.pathname));
    await page.getByRole("heading", { name: names[0]!, level: 1 }).waitFor();
    await page.getByRole("heading", { name: /^Flaky: \d+% flip rate$/ }).waitFor();
    await page.getByRole("region", { name: /^Last \d+ results$/ }).waitFor();
    await page.waitForFunction(() => {
      const canvas = document.querySelector(".chart__plot canvas") as HTMLCanvasElement | null;
      return canvas !== null && canvas.width > 100;
    });
    await page.getByRole("table", { name: "Results of this test, newest first" }).waitFor();
    await shot("2-flaky-test-page", "test");

    await project().getByRole("link", { name: "Failure groups", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${demoId}/failure-groups`);
    const groupTable = page.getByRole("table", { name: "Failure groups", exact: true });
    await groupTable.getByRole("row").nth(1).waitFor();
    const shown = await groupTable
      .locator('tbody a[href^="/failure-groups/"]')
      .evaluateAll((links) => links.map((link) => Number(link.getAttribute("href")!.split("/").at(-1))));
    expect(shown.toSorted((a, b) => a - b)).toEqual(groups.result.map((group) => group.id).toSorted((a, b) => a - b));
    // a cause shared by several tests shows as one group with their number
    const shared = groups.result.find((group) => group.test_count > 1)!;
    expect(shared, "the demo has a failure shared by several tests").toBeDefined();
    const sharedRow = groupTable
      .locator("tbody tr")
      .filter({ has: page.locator(`a[href="/failure-groups/${shared.id}"]`) });
    expect(await sharedRow.getByRole("cell").nth(2).textContent()).toBe(String(shared.test_count));
    await shot("2-failure-groups", "failure-groups");
    const seconds = (performance.now() - journeyStart) / 1000;
    console.log(
      `journey: signed in, found what failed and why, the flaky tests and the failure groups in ${seconds.toFixed(1)} s`,
    );
  });

  it("3. filters and searches a 100,000-test run, with exact counts", { timeout: BIG_STEP_MS }, async () => {
    // to the other project through the project switcher, then its runs
    await page.getByRole("navigation", { name: "Projects" }).getByRole("button").click();
    await page.getByRole("navigation", { name: "Projects" }).getByRole("link", { name: "First project" }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${BIG.projectId}`);
    await project().getByRole("link", { name: "Runs", exact: true }).click();
    await page
      .getByRole("table", { name: "Automation runs", exact: true })
      .getByRole("link", { name: BIG.name })
      .click();
    await page.waitForURL((url) => url.pathname === `/automation/runs/${bigRunId}`);
    await page.getByRole("heading", { name: BIG.name, level: 1 }).waitFor();

    await allTestsLoaded(BIG.name);
    const grid = page.getByRole("grid", { name: `Tests of ${BIG.name}` });
    expect(await testsSummary().textContent()).toBe("100,000 tests");
    expect(await grid.getAttribute("aria-rowcount")).toBe(String(BIG.tests + 1));
    expect([await chipCount("Failed"), await chipCount("Passed"), await chipCount("Skipped")]).toEqual([
      fmt(BIG_COUNTS.failed),
      fmt(BIG_COUNTS.passed),
      fmt(BIG_COUNTS.skipped),
    ]);

    // by status: failed only
    await page
      .getByRole("group", { name: "Show tests by status" })
      .getByRole("button", { name: /^Failed / })
      .click();
    await page.waitForURL((url) => url.searchParams.get("status") === "3");
    await expectSummary(`${fmt(BIG_COUNTS.failed)} of 100,000 tests`);
    expect(await grid.getAttribute("aria-rowcount")).toBe(String(BIG_COUNTS.failed + 1));
    expect(await page.locator("[data-test-row] .chip").first().textContent()).toBe("Failed");

    // and a search: one area
    const search = page.getByRole("searchbox", { name: "Search tests by name or folder" });
    await search.fill("checkout");
    await expectSummary(`${fmt(BIG_COUNTS.checkout.failed)} of 100,000 tests`);
    expect(await grid.getAttribute("aria-rowcount")).toBe(String(BIG_COUNTS.checkout.failed + 1));
    expect([await chipCount("Failed"), await chipCount("Passed"), await chipCount("Skipped")]).toEqual([
      fmt(BIG_COUNTS.checkout.failed),
      fmt(BIG_COUNTS.checkout.passed),
      fmt(BIG_COUNTS.checkout.skipped),
    ]);
    await page.waitForURL((url) => url.searchParams.get("q") === "checkout");

    // and one test by its name
    await search.fill(bigName(SEARCHED));
    await expectSummary("1 of 100,000 tests");
    await page.waitForURL((url) => url.searchParams.get("q") === bigName(SEARCHED));
    const rows = page.locator("[data-test-row]");
    expect(await rows.count()).toBe(1);
    expect(await rows.locator(".test-grid__name").textContent()).toBe(bigName(SEARCHED));
    await rows.click();
    const panel = page.getByRole("region", { name: `Test: ${bigName(SEARCHED)}` });
    expect(await panel.locator(".test-panel__message").textContent()).toBe(bigMessage(SEARCHED));
    await shot("3-big-run-searched");

    async function expectSummary(text: string) {
      await page.waitForFunction(
        (expected) => document.querySelector(".run-tests__summary")?.textContent === expected,
        text,
      );
    }
  });

  it("4. opens the failing test's history and quarantines it with a reason", { timeout: STEP_MS }, async () => {
    const reason = "Totals are rounded differently since the tax change; fix in progress (#512)";
    const panel = page.getByRole("region", { name: `Test: ${bigName(SEARCHED)}` });
    await panel.getByRole("link", { name: "History of this test" }).click();
    await page.waitForURL((url) => /^\/automation\/cases\/\d+$/.test(url.pathname));
    const caseId = Number(new URL(page.url()).pathname.split("/").at(-1));
    await page.getByRole("heading", { name: bigName(SEARCHED), level: 1 }).waitFor();
    await page.getByRole("region", { name: /^Last (result|\d+ results)$/ }).waitFor();

    const quarantine = page.getByRole("region", { name: "Quarantine" });
    await quarantine.getByRole("button", { name: "Quarantine this test…" }).click();
    const form = page.getByRole("form", { name: "Quarantine" });
    await form.getByLabel("Reason").fill(reason);
    await form.getByRole("button", { name: "Quarantine the test" }).click();
    await form.waitFor({ state: "detached" });
    const badge = page.locator(".page-header").getByText("Quarantined", { exact: true });
    await badge.waitFor();
    expect(await badge.getAttribute("title")).toBe(`Quarantined until lifted: ${reason}`);
    await quarantine.getByText(reason).waitFor();
    const stored = (await api("GET", `/x/automation/cases/${caseId}`)) as { result: { quarantine: unknown } };
    expect(stored.result.quarantine).toMatchObject({ reason, expires_at: null });
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot("4-quarantined");
  });

  let cliAddress = "";
  let cliRunId = 0;

  it("5. creates an API token and uploads results with the CLI using it", { timeout: STEP_MS }, async () => {
    await page.getByRole("button", { name: /^Account:/ }).click();
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.waitForURL((url) => url.pathname === "/settings/tokens");
    await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
    await page.getByLabel("Name").fill("journey CLI");
    await page.getByRole("button", { name: "Create token" }).click();
    const created = page.getByRole("region", { name: "Token “journey CLI” created" });
    await created.waitFor();
    const token = await created.getByLabel("New token").inputValue();
    expect(token).toMatch(/^assay_\S+$/);
    await page.getByRole("row", { name: /journey CLI/ }).waitFor();
    await shot("5-token-created", "api-tokens");

    const results = path.join(workDir, "junit.xml");
    fs.writeFileSync(results, JUNIT);
    const cli = await runCli(token, [
      "automation:run:submit",
      "--instance",
      server.url,
      "--project-id",
      String(demoId),
      "--name",
      "journey upload",
      "--source",
      "journey",
      "--results",
      results,
    ]);
    expect(cli.code, cli.output).toBe(0);
    const address = /^Run: (\S+\/automation\/runs\/(\d+))$/m.exec(cli.stdout);
    expect(address, cli.output).not.toBeNull();
    cliAddress = address![1]!;
    cliRunId = Number(address![2]);
    expect(cliAddress).toBe(`${server.url}/automation/runs/${cliRunId}`);
    expect(cli.stdout).toContain("Summary: 3 tests (2 passed, 1 failure)");
  });

  it("6. sees the new run in the runs list and at the address the CLI printed", { timeout: STEP_MS }, async () => {
    // back to the Demo's runs (the page asks the server again: the new run is there)
    await page.getByRole("navigation", { name: "Projects" }).getByRole("button").click();
    await page.getByRole("navigation", { name: "Projects" }).getByRole("link", { name: "Demo", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${demoId}`);
    await project().getByRole("link", { name: "Runs", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/projects/${demoId}/runs`);
    const newest = page.getByRole("table", { name: "Automation runs", exact: true }).getByRole("row").nth(1);
    const link = newest.getByRole("link", { name: "journey upload", exact: true });
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe(new URL(cliAddress).pathname);
    expect(await newest.getByRole("cell").nth(1).textContent()).toBe("journey");
    await shot("6-runs-with-upload");

    await page.goto(cliAddress);
    await page.getByRole("heading", { name: "journey upload", level: 1 }).waitFor();
    await page.getByText("3 tests in 1 thread").waitFor();
    await allTestsLoaded("journey upload");
    const row = page.locator("[data-test-row]").first();
    expect(await row.locator(".test-grid__name").textContent()).toBe("finds the failure");
    await row.click();
    const panel = page.getByRole("region", { name: "Test: finds the failure" });
    expect(await panel.locator(".test-panel__message").textContent()).toBe("expected 3 rows but saw 2");
    await shot("6-uploaded-run");
  });

  it("7. signs out; a protected address then asks for sign-in", { timeout: STEP_MS }, async () => {
    await page.getByRole("button", { name: /^Account:/ }).click();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.getByRole("heading", { name: "Sign in to Assay" }).waitFor();
    await page.goto(`/automation/runs/${cliRunId}`);
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe(`/automation/runs/${cliRunId}`);
    await page.getByRole("heading", { name: "Sign in to Assay" }).waitFor();
    const seconds = (performance.now() - journeyStart) / 1000;
    console.log(
      `journey: the whole browser part (steps 1–7, with the CLI upload) took ${seconds.toFixed(1)} s, ${apiRequests} API requests`,
    );
  });
});

const JUNIT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="journey" tests="3" failures="1">
    <testcase classname="journey.Upload" name="uploads a report" time="0.12"/>
    <testcase classname="journey.Upload" name="shows the run" time="0.08"/>
    <testcase classname="journey.Upload" name="finds the failure" time="0.30">
      <failure message="expected 3 rows but saw 2" type="AssertionError">AssertionError: expected 3 rows but saw 2
    at journey.Upload.findsTheFailure(Upload.java:12)</failure>
    </testcase>
  </testsuite>
</testsuites>
`;

function fmt(value: number): string {
  return value.toLocaleString("en-US");
}

/** `node packages/cli/dist/main.js <args>` with only the token in its environment (no CI variables). */
function runCli(token: string, args: string[]): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ASSAY_TOKEN: token, NO_COLOR: "1" },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, output: `exit ${code}\n${stdout}\n${stderr}` });
      },
    );
  });
}
