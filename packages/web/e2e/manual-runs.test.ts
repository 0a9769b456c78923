import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";
import { type AssayServer, startAssay } from "./support/server.js";

/**
 * Manual runs as a team does them, in Chromium against the real server (SQLite, `assay-server demo` for
 * milestones and an issue tracker): a small repository folder is seeded through the API; the lead creates a
 * run from that folder with two testers and a milestone; each tester (a browser context of their own)
 * works through their tests with the keyboard (statuses, a comment, the timer, a screenshot, an issue
 * link), reading each case's steps, description and attachment in the run; the lead sees the progress
 * and closes the run, which becomes read-only; a read-only user sees a run but cannot record results, and
 * a test whose case was deleted says so; a user without access to the project cannot open it by its address.
 */
const PASSWORD = "manual runs password 1";
const SETUP_MS = 90_000;
const STEP_MS = 30_000;
const SECOND = 1_000_000;

const PEOPLE = {
  lead: { email: "lead@e2e.test", name: "Lena Lead", role: "project-manager" },
  tester1: { email: "tess@e2e.test", name: "Tess Tester", role: "tester" },
  tester2: { email: "toby@e2e.test", name: "Toby Tester", role: "tester" },
  reader: { email: "rita@e2e.test", name: "Rita Reader", role: "read-only" },
  outsider: { email: "otto@e2e.test", name: "Otto Outsider", role: "tester" },
} as const;
type Person = keyof typeof PEOPLE;

const CASES = ["Pay by card", "Pay by invoice", "Refund an order", "Cancel an order"];
/** A 1×1 PNG: the "screenshot" a tester attaches. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describeInBrowser("manual runs with a lead and two testers", () => {
  let server: AssayServer;
  let browser: Browser;
  let projectId: number;
  let folderId: number;
  let caseIds: number[];
  let runId: number;
  const pages = new Map<Person, WatchedPage>();

  // biome-ignore lint/suspicious/noExplicitAny: the test reads response bodies field by field
  async function api(method: string, pathname: string, body?: unknown): Promise<any> {
    const response = await fetch(`${server.url}/api/v1${pathname}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${await response.text()}`);
    return response.status === 204 ? null : response.json();
  }

  /** A file on a repository case, as an API client attaches one. */
  async function uploadCaseFile(caseId: number, name: string) {
    const form = new FormData();
    form.append("file", new Blob([PNG], { type: "image/png" }), name);
    const response = await fetch(`${server.url}/api/v1/cases/${caseId}/attachments/single`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}` },
      body: form,
    });
    if (!response.ok) throw new Error(`upload to case ${caseId} answered ${response.status}: ${await response.text()}`);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAssay({ demo: true }), launchBrowser()]);
    const projects = await api("GET", "/projects");
    projectId = projects.result.find((p: { name: string }) => p.name === "Demo").id;
    for (const person of Object.values(PEOPLE)) {
      await server.command(["user", "create", "--email", person.email, "--name", person.name, "--role", person.role]);
      await server.command(["user", "password", "--email", person.email, "--password-stdin"], `${PASSWORD}\n`);
    }
    await server.command([
      "project",
      "access",
      "--project",
      String(projectId),
      "--email",
      PEOPLE.outsider.email,
      "--role",
      "none",
    ]);
    const folder = await api("POST", `/projects/${projectId}/folders`, { folders: [{ name: "E2E checkout" }] });
    folderId = folder.result[0].id;
    const cases = await api("POST", `/projects/${projectId}/cases`, {
      cases: CASES.map((name, i) => ({
        name,
        folder_id: folderId,
        estimate: (i + 1) * 60 * SECOND,
        custom_description: `How to check “${name}”`,
        custom_steps: [
          { step: `Start “${name}” with <b>care</b>`, expected: "The order <i>is</i> confirmed" },
          { step: "Open the receipt", expected: "" },
        ],
      })),
    });
    caseIds = cases.result.map((c: { id: number }) => c.id);
    for (const caseId of caseIds) await uploadCaseFile(caseId, "card-form.png");
  }, SETUP_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  // one story: once a step failed, the ones after it cannot mean anything
  let stepFailed = false;
  beforeEach((context) => {
    if (stepFailed) context.skip("an earlier step failed");
  });
  afterEach((context) => {
    if (context.task.result?.state === "fail") stepFailed = true;
  });

  /** A signed-in page of its own (own cookies) for each person. */
  async function as(person: Person): Promise<Page> {
    const known = pages.get(person);
    if (known) return known.page;
    const watched = await openPage(browser, server.url);
    pages.set(person, watched);
    const { page } = watched;
    // a step's own bound comes first, so a failure names the element that never appeared
    page.setDefaultTimeout(STEP_MS / 2);
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(PEOPLE[person].email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/projects");
    return page;
  }

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  function expectNoProblems() {
    for (const [person, watched] of pages) expect(watched.problems, person).toEqual([]);
  }

  const saved = (page: Page) => page.locator(".manual-run__saved");
  const currentTest = (page: Page) => page.locator("#current-test-title");
  const currentCase = (page: Page) => page.getByRole("region", { name: "The case" });

  it(
    "the lead creates a run from a folder with two testers and a milestone",
    async () => {
      const page = await as("lead");
      await page.goto(`/projects/${projectId}/manual-runs`);
      await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Manual runs" }).waitFor();
      await page.getByRole("heading", { name: "Manual runs", level: 1 }).waitFor();
      await expectAccessible(page);
      await page.getByRole("link", { name: "New manual run" }).click();
      await page.waitForURL((url) => url.searchParams.get("create") === "1");
      const form = page.getByRole("form", { name: "New manual run" });
      // an empty selection is refused with the reason next to the cases, keeping what was typed
      await form.getByLabel("Name", { exact: true }).fill("Checkout regression");
      await form.getByRole("button", { name: "Create run" }).click();
      await form
        .getByText(/The selection has no cases/)
        .first()
        .waitFor();
      expect(await form.getByLabel("Name", { exact: true }).inputValue()).toBe("Checkout regression");

      await form.getByRole("checkbox", { name: /E2E checkout/ }).check();
      await form.getByRole("checkbox", { name: PEOPLE.tester1.name }).check();
      await form.getByRole("checkbox", { name: PEOPLE.tester2.name }).check();
      const milestone = form.getByLabel("Milestone");
      const firstMilestone = await milestone.locator("option").nth(1).textContent();
      await milestone.selectOption({ label: firstMilestone! });
      await form.getByLabel("Configuration").fill("Chrome on Linux");
      await form.getByText("4 cases chosen").waitFor();
      await expectAccessible(page);
      await screenshot(page, "manual-runs-create");
      await form.getByRole("button", { name: "Create run" }).click();
      await page.waitForURL(/\/manual-runs\/\d+/);
      runId = Number(/\/manual-runs\/(\d+)/.exec(page.url())![1]);
      await page.getByRole("heading", { name: "Checkout regression", level: 1 }).waitFor();
      await page.getByText(`Milestone: ${firstMilestone}`).waitFor();
      await page.getByText("Configuration: Chrome on Linux").waitFor();
      await page.getByText("0 of 4 tested (0%)").waitFor();
      await expectAccessible(page);
      const tests = (await api("GET", `/x/runs/${runId}/tests`)).result as { assignee_id: number }[];
      expect(new Set(tests.map((t) => t.assignee_id)).size).toBe(2);
      expectNoProblems();
    },
    STEP_MS,
  );

  it(
    "tester 1 works through their tests by keyboard: comment, failed, screenshot, issue, passed",
    async () => {
      const page = await as("tester1");
      await page.goto(`/manual-runs/${runId}?mine=1`);
      await currentTest(page).waitFor();
      const first = (await currentTest(page).textContent())!;
      expect(await page.getByRole("timer").textContent()).toMatch(/^\d+:\d\d$/);
      // the case to execute: its description, steps with expected results (as text) and its file
      const kase = currentCase(page);
      await kase.getByText(`How to check “${first}”`).waitFor();
      await kase.getByRole("list", { name: "Steps" }).getByText(`Start “${first}” with <b>care</b>`).waitFor();
      await kase.getByText("The order <i>is</i> confirmed").waitFor();
      expect(await kase.locator("b, i").count()).toBe(0);
      const preview = kase.getByRole("img", { name: "Preview of card-form.png" });
      await expect.poll(() => preview.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);
      await kase.getByRole("link", { name: "card-form.png" }).waitFor();
      const caseLink = kase.getByRole("link", { name: /^Open case C\d+ in the repository$/ });
      expect(await caseLink.getAttribute("href")).toMatch(new RegExp(`^/projects/${projectId}/cases/\\d+$`));
      // the test panel names the case as the repository does (C<key>), not by its database id
      const caseKey = /C\d+/.exec((await caseLink.textContent())!)![0];
      await expect
        .poll(() => page.locator(".manual-run__position").textContent())
        .toMatch(new RegExp(`^Test \\d+ of \\d+ · ${caseKey}$`));
      await page.keyboard.press("c");
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
      await page.keyboard.type("<b>Declined</b> with a valid card");
      await page.keyboard.press("Escape");
      await page.keyboard.press("f");
      await saved(page).getByText(`Failed saved for “${first}”.`).waitFor();
      // the page moved on to the tester's next test
      await expect.poll(() => currentTest(page).textContent()).not.toBe(first);
      const second = (await currentTest(page).textContent())!;
      await page
        .getByLabel("Attach a screenshot")
        .setInputFiles({ name: "declined.png", mimeType: "image/png", buffer: PNG });
      await page.getByLabel("Issue key").fill("#42");
      await page.getByLabel("Issue key").press("Enter");
      await page.getByRole("list", { name: "Issues to link" }).getByText(/#42/).waitFor();
      await page.getByLabel("Issue key").press("Escape");
      await page.keyboard.press("p");
      await saved(page).getByText(`Passed saved for “${second}”.`).waitFor();
      await expectAccessible(page);

      // back to the first test: its comment is shown as text, not markup
      await page.keyboard.press("k");
      await expect.poll(() => currentTest(page).textContent()).toBe(first);
      await page.locator(".manual-run__note").getByText("<b>Declined</b> with a valid card").waitFor();
      expect(await page.locator(".manual-run__note b").count()).toBe(0);
      await page.keyboard.press("j");
      await expect.poll(() => currentTest(page).textContent()).toBe(second);
      await page.getByRole("img", { name: "Screenshot declined.png" }).waitFor();
      await page.getByText("#42").first().waitFor();
      await screenshot(page, "manual-run-tester");

      const results = (await api("GET", `/runs/${runId}/results`)).result as { status_id: number; elapsed: number }[];
      expect(results.map((r) => r.status_id).sort()).toEqual([2, 3]);
      expect(results.every((r) => r.elapsed > 0)).toBe(true);
      expectNoProblems();
    },
    STEP_MS,
  );

  it(
    "tester 2 blocks one test and skips the other with the arrow keys and status keys",
    async () => {
      const page = await as("tester2");
      await page.goto(`/manual-runs/${runId}`);
      await currentTest(page).waitFor();
      // ticking the filter leaves focus on the checkbox; the run's keys still work from there
      await page.getByRole("checkbox", { name: "Only my tests" }).check();
      await page.waitForURL((url) => url.searchParams.get("mine") === "1");
      await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe("checkbox");
      const first = (await currentTest(page).textContent())!;
      await page.keyboard.press("ArrowDown");
      await expect.poll(() => currentTest(page).textContent()).not.toBe(first);
      const second = (await currentTest(page).textContent())!;
      expect(new URL(page.url()).searchParams.get("test")).not.toBeNull();
      await page.keyboard.press("s");
      await saved(page).getByText(`Skipped saved for “${second}”.`).waitFor();
      await page.keyboard.press("ArrowUp");
      await expect.poll(() => currentTest(page).textContent()).toBe(first);
      await page.keyboard.press("b");
      await saved(page).getByText(`Blocked saved for “${first}”.`).waitFor();
      await page.getByText("4 of 4 tested (100%)").waitFor();

      // an unsaved comment: leaving the page asks first; Stay keeps it, Leave goes
      await page.keyboard.press("c");
      await page.keyboard.type("Half a thought");
      await page.keyboard.press("Escape");
      const toRuns = page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Manual runs" });
      await toRuns.click();
      const leave = page.getByRole("dialog", { name: "Leave without saving?" });
      await leave.getByRole("button", { name: "Stay" }).click();
      await leave.waitFor({ state: "detached" });
      expect(new URL(page.url()).pathname).toBe(`/manual-runs/${runId}`);
      expect(await page.getByLabel(/^Comment/).inputValue()).toBe("Half a thought");
      await toRuns.click();
      await leave.getByRole("button", { name: "Leave" }).click();
      await page.waitForURL((url) => url.pathname === `/projects/${projectId}/manual-runs`);
      expectNoProblems();
    },
    STEP_MS,
  );

  it(
    "the lead sees the progress, closes the run, and the run becomes read-only",
    async () => {
      await api("POST", `/x/projects/${projectId}/runs`, { name: "Not begun", folder_ids: [folderId] });
      const page = await as("lead");
      await page.goto(`/projects/${projectId}/manual-runs`);
      const row = page.getByRole("row", { name: /Checkout regression/ });
      await row.getByText("4 of 4 tested (100%)").waitFor();
      // "Not started" and "In progress" differ in look, not only in words, and stay legible in both themes
      const inProgress = row.getByText("In progress", { exact: true });
      const notStarted = page.getByRole("row", { name: /Not begun/ }).getByText("Not started", { exact: true });
      const look = (chip: typeof inProgress) =>
        chip.evaluate((element) => {
          const style = getComputedStyle(element);
          return `${style.backgroundColor} ${style.borderTopStyle} ${style.color}`;
        });
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        expect(await look(notStarted)).not.toBe(await look(inProgress));
        expect(await notStarted.evaluate((element) => getComputedStyle(element).borderTopStyle)).toBe("dashed");
        await expectAccessible(page);
      }
      await page.emulateMedia({ colorScheme: "light" });
      await row.getByRole("link", { name: "Checkout regression" }).click();
      await page.getByText("4 of 4 tested (100%)").waitFor();
      await page.getByRole("button", { name: "Close run" }).click();
      const dialog = page.getByRole("dialog", { name: /Close the run/ });
      await expectAccessible(page);
      await dialog.getByRole("button", { name: "Close run" }).click();
      await page.getByText("This run is closed: its results are final").waitFor();
      await expect.poll(() => page.getByRole("button", { name: "Close run" }).count()).toBe(0);
      expect((await api("GET", `/runs/${runId}`)).result.is_closed).toBe(true);

      const tester = await as("tester1");
      await tester.reload();
      await tester.getByText("This run is closed: its results are final").waitFor();
      expect(await tester.getByRole("button", { name: /^Passed/ }).count()).toBe(0);
      await tester.keyboard.press("p");
      expect((await api("GET", `/runs/${runId}/results`)).total).toBe(4);
      await screenshot(page, "manual-run-closed");
      expectNoProblems();
    },
    STEP_MS,
  );

  it(
    "a read-only user sees a run but cannot record results; an outsider cannot open it",
    async () => {
      const open = await api("POST", `/x/projects/${projectId}/runs`, { name: "Smoke (open)", folder_ids: [folderId] });
      const page = await as("reader");
      await page.goto(`/manual-runs/${open.result.id}`);
      await currentTest(page).waitFor();
      await page.getByText(/lacks the “results” permission/).waitFor();
      expect(await page.getByRole("button", { name: /^Passed/ }).count()).toBe(0);
      await page.keyboard.press("p");
      await page.keyboard.press("j");
      await expect.poll(() => new URL(page.url()).searchParams.get("test")).not.toBeNull();
      expect((await api("GET", `/runs/${open.result.id}/results`)).total).toBe(0);
      await expectAccessible(page);

      // a case deleted from the repository since: the test keeps its name and says what happened
      const tests = (await api("GET", `/x/runs/${open.result.id}/tests`)).result as { id: number; case_id: number }[];
      const orphan = tests.find((t) => t.case_id === caseIds[3])!;
      await api("DELETE", `/projects/${projectId}/cases`, { ids: [caseIds[3]] });
      await page.goto(`/manual-runs/${open.result.id}?test=${orphan.id}`);
      await currentTest(page).getByText(CASES[3]!).waitFor();
      await page.getByText("This case was deleted from the repository; its name is kept in the run").waitFor();
      await page.getByText(/lacks the “results” permission/).waitFor();
      // the dark theme is accessible too
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
      await screenshot(page, "manual-run-read-only-dark");

      const outsider = await as("outsider");
      await outsider.goto(`/manual-runs/${open.result.id}`);
      await outsider.getByRole("heading", { name: "No access" }).waitFor();
      await outsider.getByText(/You do not have access to project/).waitFor();
      await expectAccessible(outsider);
      // the browser logs the 403s as failed loads; nothing else may have gone wrong
      expectNoProblems();
    },
    STEP_MS,
  );
});
