import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";
import { ADMIN_EMAIL, type AssayServer, startAssay } from "./support/server.js";

/**
 * The run page in a real browser against the real server (SQLite): a run of 100,000 tests uploaded through
 * the API in appends of 5,000, its failures carrying Failure fields with ANSI colours, and stored-XSS payloads
 * in names, messages, fields, links and artifacts. The table shows rows at once, the status filter and the
 * search narrow it, a failing test opens its panel, the payloads show as text and nothing executes, axe finds
 * no serious or critical violation, in both themes.
 */
const PASSWORD = "correct horse battery staple";
const TESTS = 100_000;
const BATCH = 5_000;
const E = "\u001b";

const PAYLOADS = [
  `<img src=x onerror="window.__xss='img'">`,
  `<script>window.__xss='script'</script>`,
  `<img src=x onerror=alert(document.domain)>`,
  `"><svg onload="window.__xss='svg'">`,
];
/** tests whose name carries a payload (all failing) */
const HOSTILE = new Set([7, 10_007, 50_007, 99_907]);

function isFailing(i: number): boolean {
  return i % 100 === 7;
}

function testsOf(from: number, to: number, baseline: boolean) {
  const tests = [];
  for (let i = from; i < to; i++) {
    // the baseline fails a few tests that the run fixes, and passes some that the run fails
    const failed = baseline ? (i % 100 === 7 && i % 700 !== 7) || i % 1000 === 3 : isFailing(i);
    const skipped = !failed && i % 33 === 0;
    const payload = PAYLOADS[i % PAYLOADS.length]!;
    const hostile = HOSTILE.has(i);
    const test: Record<string, unknown> = {
      key: `t${i}`,
      name: hostile ? `${payload} renders ${i}` : `should handle scenario ${i} of the checkout flow`,
      folder: `com.acme.shop.Feature${i % 400}Test`,
      status: failed ? "failure" : skipped ? "skipped" : "passed",
      elapsed: 1_000 + ((i * 7919) % 400) * 1_000,
    };
    if (failed) {
      const message = hostile ? `expected ${payload} but was <b>${i}</b>` : `expected ${i} but was ${i + 1}`;
      test.fields = [
        {
          type: 4,
          name: "Failure",
          value: `${E}[31mAssertionError: ${message}${E}[0m\n    ${E}[2mat com.acme.Feature${i % 400}Test.scenario(Feature${i % 400}Test.java:42)${E}[22m`,
          meta: { message, type: "java.lang.AssertionError" },
          is_highlight: true,
        },
        { type: 4, name: "Output", value: `${E}[1;33mWARN${E}[0m slow query ${payload}` },
        { type: 5, name: "Screenshot", value: "javascript:window.__xss='url'" },
        { type: 3, name: "Report", value: `<b onmouseover="window.__xss='html'">report</b>${payload}` },
      ];
      test.artifacts = [
        { name: "screenshot.png", url: "https://ci.example.com/shot.png", mime_type: "image/png", size: 2048 },
        { name: "evil artifact", url: "javascript:window.__xss='artifact'" },
      ];
    }
    tests.push(test);
  }
  return tests;
}

describeInBrowser("the run page of a 100,000-test run in Chromium", () => {
  let server: AssayServer;
  let browser: Browser;
  let runId: number;
  const failing = Array.from({ length: TESTS }, (_, i) => i).filter(isFailing).length;

  async function api(path: string, body: unknown): Promise<{ id: number } | null> {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? null : ((await response.json()) as { id: number });
  }

  async function upload(name: string, count: number, baseline: boolean): Promise<number> {
    const run = await api("/projects/1/automation/runs", {
      name,
      source: "backend",
      fields: [
        { type: 1, name: "Branch", value: "main" },
        { type: 1, name: "Commit", value: baseline ? "1".repeat(40) : "3f2a9c1e5b7d4f60a8c2e1b3d5f7a9c0e2b4d6f8" },
      ],
      links: [
        { name: "CI build", url: "https://ci.example.com/build/42" },
        { name: `evil ${PAYLOADS[0]}`, url: "javascript:window.__xss='link'" },
      ],
    });
    const thread = await api(`/automation/runs/${run!.id}/threads`, {});
    for (let from = 0; from < count; from += BATCH) {
      await api(`/automation/runs/threads/${thread!.id}/append`, {
        tests: testsOf(from, Math.min(count, from + BATCH), baseline),
      });
    }
    await api(`/automation/runs/${run!.id}/complete`, {});
    return run!.id;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAssay({ adminPassword: PASSWORD }), launchBrowser()]);
    await upload("Nightly 1", 5_000, true);
    runId = await upload(`Nightly 2 ${PAYLOADS[1]}`, TESTS, false);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A signed-in page that records dialogs and keeps `window.__xss` watched. */
  async function open(options?: Parameters<typeof openPage>[2]): Promise<WatchedPage & { dialogs: string[] }> {
    const watched = await openPage(browser, server.url, options);
    const dialogs: string[] = [];
    watched.page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await watched.page.goto(`/automation/runs/${runId}`);
    await watched.page.getByLabel("E-mail").fill(ADMIN_EMAIL);
    await watched.page.getByLabel("Password").fill(PASSWORD);
    await watched.page.getByRole("button", { name: "Sign in" }).click();
    await watched.page.waitForURL((url) => url.pathname === `/automation/runs/${runId}`);
    return { ...watched, dialogs };
  }

  const grid = (page: Page) => page.getByRole("grid", { name: /^Tests of Nightly 2/ });

  async function allTests(page: Page) {
    await page.locator("[data-test-row]").first().waitFor();
    await page.locator('[role=grid][data-complete="true"]').waitFor({ timeout: 120_000 });
  }

  async function nothingExecuted(page: Page, dialogs: string[]) {
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // the payloads are in the DOM as text only: no element came out of them
    expect(await page.locator('img[src="x"], svg[onload], script:not([src]), b[onmouseover]').count()).toBe(0);
  }

  it("shows the rows, narrows them by status and search, opens a failing test, and executes nothing", async () => {
    const { page, problems, dialogs } = await open();
    await allTests(page);
    await page.waitForLoadState("networkidle");
    await page.getByText(`${TESTS.toLocaleString("en-US")} tests`, { exact: true }).waitFor();
    expect(await grid(page).getAttribute("aria-rowcount")).toBe(String(TESTS + 1));
    // the comparison comes first, against the earlier run of the branch
    const comparison = page.getByRole("region", { name: "Compared with the baseline" });
    await comparison.getByRole("link", { name: /Nightly 1/ }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Nightly 2 ${PAYLOADS[1]}`);
    expect(await page.title()).toBe(`Nightly 2 ${PAYLOADS[1]} (run ${runId}) · Assay`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "run-page");

    // the status chip filters
    const failed = page.getByRole("button", { name: /^Failed/ });
    expect(await failed.textContent()).toContain(failing.toLocaleString("en-US"));
    await failed.click();
    await page.waitForURL((url) => url.searchParams.get("status") === "3");
    expect(await grid(page).getAttribute("aria-rowcount")).toBe(String(failing + 1));
    const statuses = await page.locator("[data-test-row] .test-grid__cell--status").allTextContents();
    expect(new Set(statuses)).toEqual(new Set(["Failed"]));

    // the search narrows further: the hostile names, shown as text
    await page.getByRole("searchbox", { name: "Search tests by name or folder" }).fill("renders");
    await page.waitForFunction(
      (count) => document.querySelector("[role=grid]")?.getAttribute("aria-rowcount") === String(count),
      HOSTILE.size + 1,
    );
    const names = await page.locator("[data-test-row] .test-grid__name").allTextContents();
    expect(names.sort()).toEqual([...HOSTILE].map((i) => `${PAYLOADS[i % PAYLOADS.length]} renders ${i}`).sort());
    await page.waitForURL((url) => url.searchParams.get("q") === "renders");

    // a failing test's panel: ANSI colours as spans, payloads as text, unsafe URLs not links
    const hostileName = `${PAYLOADS[10_007 % PAYLOADS.length]} renders 10007`;
    await page.locator("[data-test-row]", { hasText: hostileName }).click();
    const panel = page.getByRole("region", { name: `Test: ${hostileName}` });
    await panel.waitFor();
    const failure = panel.locator('pre[data-field="Failure"]');
    await failure.waitFor();
    expect(await failure.locator(".ansi-fg-1").first().textContent()).toContain("AssertionError: expected");
    expect(await failure.textContent()).toContain(PAYLOADS[10_007 % PAYLOADS.length]);
    expect(await panel.locator('pre[data-field="Report"]').textContent()).toContain("<b onmouseover=");
    expect(await panel.getByRole("link", { name: /evil artifact/ }).count()).toBe(0);
    expect(await panel.getByText("javascript:window.__xss='url'").count()).toBe(1);
    expect(await panel.getByRole("link", { name: "History of this test" }).getAttribute("href")).toMatch(
      /^\/automation\/cases\/\d+$/,
    );
    expect(await panel.getByRole("link", { name: /^Failure group #\d+/ }).getAttribute("href")).toMatch(
      /^\/failure-groups\/\d+$/,
    );
    await page.waitForLoadState("networkidle");
    await nothingExecuted(page, dialogs);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "test-panel");
    expect(problems).toEqual([]);
  });

  it("is driven by the keyboard: arrows move, Enter opens the panel, Escape closes it", async () => {
    const { page, problems } = await open();
    await allTests(page);
    const table = grid(page);
    await table.focus();
    const first = await table.getAttribute("aria-activedescendant");
    await page.keyboard.press("ArrowDown");
    const second = await table.getAttribute("aria-activedescendant");
    expect(second).not.toBe(first);
    await page.keyboard.press("Enter");
    const id = second!.replace("test-row-", "");
    await page.waitForURL((url) => url.searchParams.get("test") === id);
    await page.getByRole("region", { name: /^Test: / }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.waitForURL((url) => url.searchParams.get("test") !== id && url.searchParams.has("test"));
    await page.keyboard.press("Escape");
    await page.waitForURL((url) => !url.searchParams.has("test"));
    expect(await table.evaluate((element) => element === document.activeElement)).toBe(true);
    // End reaches the last row: the table scrolls there, and the active row is rendered (aria-activedescendant)
    await page.keyboard.press("End");
    await page.waitForFunction(() => {
      const grid = document.querySelector("[role=grid]");
      const id = grid?.getAttribute("aria-activedescendant");
      return id && document.getElementById(id)?.getAttribute("aria-rowindex") === grid?.getAttribute("aria-rowcount");
    });
    expect(problems).toEqual([]);
  });

  it("follows the dark theme, accessibly", async () => {
    const { page, problems, dialogs } = await open({ colorScheme: "dark" });
    await allTests(page);
    await page.waitForLoadState("networkidle");
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(14, 17, 22)");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "run-page-dark");
    await page.locator("[data-test-row]").first().click();
    await page
      .getByRole("region", { name: /^Test: / })
      .locator('pre[data-field="Failure"]')
      .waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, "test-panel-dark");
    await nothingExecuted(page, dialogs);
    expect(problems).toEqual([]);
  });
});
