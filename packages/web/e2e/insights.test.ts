import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";
import { ADMIN_EMAIL, type AssayServer, startAssay } from "./support/server.js";

/**
 * The test-intelligence pages in a real browser against the real server with `assay-server demo` data:
 * the project dashboard (trend charts, light and dark), the flaky tests, a flaky test's page (history
 * strip, duration chart, quarantine set and lifted), and a failure group; axe-core on each, under the
 * strict CSP (uPlot's canvas and its CSS file must work without inline styles or scripts).
 */
const PASSWORD = "correct horse battery staple";

describeInBrowser("test intelligence pages in Chromium", () => {
  let server: AssayServer;
  let browser: Browser;
  let projectId: number;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAssay({ demo: true, adminPassword: PASSWORD }), launchBrowser()]);
    const projects = (await api("/projects")) as { result: { id: number; name: string }[] };
    projectId = projects.result.find((project) => project.name === "Demo")!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function api(path: string): Promise<unknown> {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(response.status).toBe(200);
    return response.json();
  }

  async function open(options?: Parameters<typeof openPage>[2]) {
    const watched = await openPage(browser, server.url, options);
    opened.push(watched);
    return watched;
  }

  /** Opens `path` signed in (through the sign-in page, which returns there). */
  async function openSignedIn(path: string, options?: Parameters<typeof openPage>[2]) {
    const watched = await open(options);
    await watched.page.goto(path);
    await watched.page.waitForURL("**/sign-in?redirect=*");
    await watched.page.getByLabel("E-mail").fill(ADMIN_EMAIL);
    await watched.page.getByLabel("Password").fill(PASSWORD);
    await watched.page.getByRole("button", { name: "Sign in" }).click();
    await watched.page.waitForURL((url) => url.pathname === path.split("?")[0]);
    return watched;
  }

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  /** Waits until every chart on the page has drawn its canvas at a real size. */
  async function chartsDrawn(page: Page, count: number) {
    await page.waitForFunction((expected) => {
      const canvases = [...document.querySelectorAll(".chart__plot canvas")] as HTMLCanvasElement[];
      return canvases.length === expected && canvases.every((canvas) => canvas.width > 100 && canvas.height > 50);
    }, count);
  }

  it("shows the dashboard: recent runs, trend charts, flakiest and slowest tests, failure groups, milestones", async () => {
    const { page, problems } = await openSignedIn(`/projects/${projectId}`);
    await page.getByRole("heading", { name: "Dashboard", level: 1 }).waitFor();
    const runs = page.getByRole("table", { name: "Recent automation runs" });
    await runs.waitFor();
    expect(await runs.getByRole("row").count()).toBe(11);
    await page.getByRole("figure", { name: "Pass rate per day" }).waitFor();
    await page.getByRole("figure", { name: "Tests per day" }).waitFor();
    await page.getByRole("figure", { name: "Time per day" }).waitFor();
    await chartsDrawn(page, 3);
    // uPlot's stylesheet came as a file (the CSP allows no inline styles): its legend is laid out by it
    expect(
      await page
        .locator(".uplot .u-legend")
        .first()
        .evaluate((el) => getComputedStyle(el).textAlign),
    ).toBe("center");
    await page.getByRole("table", { name: "The flakiest tests" }).getByRole("link").first().waitFor();
    await page
      .getByRole("table", { name: "The slowest tests by average duration" })
      .getByRole("link")
      .first()
      .waitFor();
    await page.getByRole("table", { name: "The newest failure groups" }).getByRole("link").first().waitFor();
    await page.getByRole("region", { name: "Milestones in progress" }).getByText("Sprint 15").waitFor();
    await expectAccessible(page);
    await screenshot(page, "dashboard");

    // the period is in the URL; the charts redraw at their container's new size
    await page.getByText("7 days", { exact: true }).click();
    await page.waitForURL((url) => url.search === "?days=7");
    await page.setViewportSize({ width: 900, height: 800 });
    await page.waitForFunction(() => {
      const canvas = document.querySelector(".chart__plot canvas") as HTMLCanvasElement | null;
      const plot = document.querySelector(".chart__plot") as HTMLElement | null;
      return canvas && plot && Math.abs(canvas.getBoundingClientRect().width - plot.clientWidth) < 2;
    });
    expect(problems).toEqual([]);
  });

  it("shows the dashboard in the dark theme", async () => {
    const { page, problems } = await openSignedIn(`/projects/${projectId}`, { colorScheme: "dark" });
    await page.getByRole("figure", { name: "Pass rate per day" }).waitFor();
    await chartsDrawn(page, 3);
    await page.getByRole("table", { name: "The flakiest tests" }).getByRole("link").first().waitFor();
    await page.getByRole("table", { name: "The newest failure groups" }).getByRole("link").first().waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(14, 17, 22)");
    await expectAccessible(page);
    await screenshot(page, "dashboard-dark");
    expect(problems).toEqual([]);
  });

  it("lists flaky tests, opens one, quarantines it with a reason, sees the badge and lifts it", async () => {
    const { page, problems } = await openSignedIn(`/projects/${projectId}/flaky`);
    const table = page.getByRole("table", { name: "Flaky tests" });
    await table.waitFor();
    const rows = table.getByRole("row");
    await rows.nth(1).waitFor();
    expect(await table.getByRole("columnheader", { name: /Flaky/ }).getAttribute("aria-sort")).toBe("descending");
    await expectAccessible(page);
    await screenshot(page, "flaky");

    // sorting goes through the URL
    await table.getByRole("columnheader", { name: /Test/ }).getByRole("button").click();
    await page.waitForURL((url) => url.search === "?sort=name");
    expect(await table.getByRole("columnheader", { name: /Test/ }).getAttribute("aria-sort")).toBe("ascending");
    await page.goBack();
    await page.waitForURL((url) => url.search === "");

    // the flakiest test's page
    const first = table.getByRole("row").nth(1).getByRole("link").first();
    const name = (await first.textContent())!;
    await first.click();
    await page.waitForURL((url) => /^\/automation\/cases\/\d+$/.test(url.pathname));
    const caseId = Number(new URL(page.url()).pathname.split("/").at(-1));
    await page.getByRole("heading", { name, level: 1 }).waitFor();
    await page.getByRole("heading", { name: /^Flaky: \d+% flip rate$/ }).waitFor();

    // the history strip: one link per result, reachable with the arrow keys
    const strip = page.getByRole("region", { name: /^Last \d+ results$/ });
    await strip.waitFor();
    const cells = strip.getByRole("link");
    const count = await cells.count();
    expect(count).toBeGreaterThan(5);
    expect(await cells.nth(count - 1).getAttribute("tabindex")).toBe("0");
    await cells.nth(count - 1).focus();
    await page.keyboard.press("ArrowLeft");
    const focused = await page.evaluate(() => document.activeElement?.getAttribute("aria-label"));
    expect(focused).toBe(await cells.nth(count - 2).getAttribute("aria-label"));
    expect(await strip.locator(".history-strip__svg").boundingBox()).toMatchObject({ height: expect.any(Number) });

    // the duration chart
    await page.getByRole("figure", { name: "Duration per result" }).waitFor();
    await chartsDrawn(page, 1);
    await page.getByRole("table", { name: "Results of this test, newest first" }).waitFor();
    await expectAccessible(page);

    // quarantine it
    const panel = page.getByRole("region", { name: "Quarantine" });
    await panel.getByRole("button", { name: "Quarantine this test…" }).click();
    const form = page.getByRole("form", { name: "Quarantine" });
    await form.getByRole("button", { name: "Quarantine the test" }).click();
    await form.getByText("Say why the test is quarantined.").waitFor();
    await form.getByLabel("Reason").fill("Flaky on CI since the cache change, see #123");
    await expectAccessible(page);
    await form.getByRole("button", { name: "Quarantine the test" }).click();
    await form.waitFor({ state: "detached" });
    await page.locator(".page-header").getByText("Quarantined", { exact: true }).waitFor();
    await panel.getByText("Flaky on CI since the cache change, see #123").waitFor();
    await panel.getByText(/^you,/).waitFor();
    const quarantined = (await api(`/x/automation/cases/${caseId}`)) as { result: { quarantine: unknown } };
    expect(quarantined.result.quarantine).toMatchObject({ reason: "Flaky on CI since the cache change, see #123" });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, "test-page");

    // the flaky list shows the badge too
    await page.goto(`/projects/${projectId}/flaky?quarantined=yes`);
    await page.getByRole("table", { name: "Flaky tests" }).getByRole("link", { name, exact: true }).waitFor();
    expect(await page.getByRole("table", { name: "Flaky tests" }).getByText("Quarantined").count()).toBe(1);
    await page.goBack();

    // lift it
    await page.getByRole("region", { name: "Quarantine" }).getByRole("button", { name: "Lift the quarantine" }).click();
    const dialog = page.getByRole("dialog", { name: "Lift the quarantine?" });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Lift the quarantine" }).click();
    await page.getByText(/^Not quarantined\./).waitFor();
    expect(await page.locator(".page-header").getByText("Quarantined", { exact: true }).count()).toBe(0);
    const lifted = (await api(`/x/automation/cases/${caseId}`)) as { result: { quarantine: unknown } };
    expect(lifted.result.quarantine).toBeNull();
    expect(problems).toEqual([]);
  });

  it("tells a read-only user, in the server's words, that they may not quarantine", async () => {
    const email = "reader@demo.assay.test";
    await server.command(["user", "create", "--email", email, "--name", "Rita Reader", "--role", "read-only"]);
    await server.command([
      "project",
      "access",
      "--project",
      String(projectId),
      "--email",
      email,
      "--role",
      "read-only",
    ]);
    await server.command(["user", "password", "--email", email, "--password-stdin"], `${PASSWORD}\n`);
    const flaky = (await api(`/x/projects/${projectId}/automation/cases?flaky=true&per_page=15`)) as {
      result: { id: number }[];
    };
    const caseId = flaky.result[0]!.id;
    const { page, problems } = await open();
    await page.goto(`/automation/cases/${caseId}`);
    await page.waitForURL("**/sign-in?redirect=*");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === `/automation/cases/${caseId}`);
    const panel = page.getByRole("region", { name: "Quarantine" });
    await panel.getByRole("button", { name: "Quarantine this test…" }).click();
    const form = page.getByRole("form", { name: "Quarantine" });
    await form.getByLabel("Reason").fill("I should not be able to");
    await form.getByRole("button", { name: "Quarantine the test" }).click();
    const alert = form.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      `You may not quarantine this test: Your role in project ${projectId} does not allow you to quarantine tests. Ask a project manager for a role that does.`,
    );
    await expectAccessible(page);
    const unchanged = (await api(`/x/automation/cases/${caseId}`)) as { result: { quarantine: unknown } };
    expect(unchanged.result.quarantine).toBeNull();
    // the refused request is the only error the browser logs
    expect(problems.filter((problem) => !/status of 403/.test(problem))).toEqual([]);
  });

  it("opens a failure group from a test, with its message, frames, tests and runs", async () => {
    const groups = (await api(`/x/projects/${projectId}/failure-groups?sort=failure_groups:test_count`)) as {
      result: { id: number }[];
    };
    const groupId = groups.result[0]!.id;
    const { page, problems } = await openSignedIn(`/projects/${projectId}/failure-groups`);
    const table = page.getByRole("table", { name: "Failure groups" });
    await table.waitFor();
    await table.getByRole("row").nth(1).waitFor();
    await expectAccessible(page);

    await page.goto(`/failure-groups/${groupId}`);
    await page.getByRole("heading", { name: `Failure group ${groupId}`, level: 1 }).waitFor();
    await page.getByRole("heading", { name: "First failure, as it was" }).waitFor();
    const tests = page.getByRole("table", { name: "Tests with this failure" });
    await tests.getByRole("link").first().waitFor();
    await page.getByRole("table", { name: "Recent runs with this failure" }).getByRole("link").first().waitFor();
    // the project's navigation appears once the group's project is known
    await page.getByRole("navigation", { name: "Project", exact: true }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "failure-group");

    // to one of its tests and back through the test's failure groups
    await tests.getByRole("link").first().click();
    await page.waitForURL((url) => /^\/automation\/cases\/\d+$/.test(url.pathname));
    const link = page
      .getByRole("table", { name: "Failure groups of this test, latest first" })
      .getByRole("link")
      .first();
    await link.waitFor();
    expect(await page.locator(`a[href="/failure-groups/${groupId}"]`).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
