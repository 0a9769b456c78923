// biome-ignore-all lint/suspicious/noExplicitAny: e2e tests read response bodies field by field
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";
import { type AssayServer, startAssay } from "./support/server.js";

/**
 * Exploratory sessions and milestones in Chromium against the real server: a lead creates a milestone with
 * an automation tag, CI submits automation runs with that tag, a tester records a session (charter, timer,
 * notes, findings with statuses, a file) and closes it, the milestone page shows the session and the
 * automation runs with their progress, the lead edits the milestone; a read-only user sees everything but
 * can change nothing, a user without access to the project cannot open the pages by URL. axe on each page.
 */
const PASSWORD = "correct horse battery staple";
const USERS = {
  lead: { email: "lead@shop.test", role: "project-manager" },
  tester: { email: "tester@shop.test", role: "tester" },
  reader: { email: "reader@shop.test", role: "read-only" },
  outsider: { email: "outsider@shop.test", role: "tester" },
} as const;

describeInBrowser("sessions and milestones in Chromium", () => {
  let server: AssayServer;
  let browser: Browser;
  let projectId: number;
  let milestoneId: number;
  let sessionId: number;
  let taggedRunIds: number[] = [];
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAssay({ adminPassword: PASSWORD }), launchBrowser()]);
    projectId = Number((await server.command(["project", "create", "--name", "Shop"])).trim());
    for (const [name, user] of Object.entries(USERS)) {
      await server.command(["user", "create", "--email", user.email, "--name", name, "--role", user.role]);
      await server.command(["user", "password", "--email", user.email, "--password-stdin"], `${PASSWORD}\n`);
    }
    await server.command([
      "project",
      "access",
      "--project",
      String(projectId),
      "--email",
      USERS.outsider.email,
      "--role",
      "none",
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const watched of opened) await watched.context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
  });

  async function api(method: "GET" | "POST", path: string, body?: unknown): Promise<any> {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.status === 204 ? null : response.json();
  }

  /** An automation run as Testmo's CLI submits it: create, one thread, append the tests, complete. */
  async function submitRun(name: string, tags: string[], statuses: string[]): Promise<number> {
    const run = await api("POST", `/projects/${projectId}/automation/runs`, { name, source: "ci", tags });
    const thread = await api("POST", `/automation/runs/${run.id}/threads`, {});
    const tests = statuses.map((status, i) => ({
      key: `${name}${i}`.replace(/[^a-z0-9]/g, ""),
      name: `test ${i}`,
      status,
      folder: "shop",
    }));
    await api("POST", `/automation/runs/threads/${thread.id}/append`, { tests });
    await api("POST", `/automation/runs/threads/${thread.id}/complete`, {});
    await api("POST", `/automation/runs/${run.id}/complete`, {});
    return run.id;
  }

  async function signedIn(
    who: keyof typeof USERS,
    path: string,
    options?: Parameters<typeof openPage>[2],
  ): Promise<WatchedPage> {
    const watched = await openPage(browser, server.url, options);
    opened.push(watched);
    const { page } = watched;
    await page.goto(path);
    await page.waitForURL("**/sign-in?redirect=*");
    await page.getByLabel("E-mail").fill(USERS[who].email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === path.split("?")[0]);
    return watched;
  }

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  /** A button's look: its opacity, border style and the WCAG contrast of its text on its fill. */
  function disabledLook(button: Locator) {
    return button.evaluate((element) => {
      const style = getComputedStyle(element);
      const luminance = (color: string) => {
        const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
          const c = Number(part) / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const [lighter, darker] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
      return {
        opacity: style.opacity,
        borderStyle: style.borderTopStyle,
        contrast: (lighter! + 0.05) / (darker! + 0.05),
      };
    });
  }

  it("a lead creates a milestone with an automation tag; CI runs with that tag join it", async () => {
    const { page, problems } = await signedIn("lead", `/projects/${projectId}/milestones`);
    await page.getByRole("heading", { name: "Milestones", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "No active milestones" }).waitFor();
    await page.getByRole("button", { name: "New milestone" }).click();
    const dialog = page.getByRole("dialog", { name: "New milestone" });
    await dialog.getByLabel("Name").fill("Release 5");
    await dialog.getByLabel("Description").fill("Checkout rework\n<b>plain text</b>");
    await dialog.getByLabel("Start date").fill("2026-12-01");
    await dialog.getByLabel("Due date").fill("2026-11-01");
    await dialog.getByLabel("Automation tags").fill("release-5, nightly");
    await dialog.getByRole("button", { name: "Create milestone" }).click();
    // the server refuses a due date before the start: the message is next to the field, the input is kept
    await dialog.getByText("Must be on or after the start date 2026-12-01.").waitFor();
    expect(await dialog.getByLabel("Name").inputValue()).toBe("Release 5");
    await expectAccessible(page);
    await dialog.getByLabel("Due date").fill("2026-12-24");
    await dialog.getByRole("button", { name: "Create milestone" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByRole("row", { name: /Release 5/ });
    await row.getByText("release-5").waitFor();
    await row.getByText("2026-12-01 – 2026-12-24").waitFor();
    await expectAccessible(page);
    await screenshot(page, "milestones");
    milestoneId = (await api("GET", `/projects/${projectId}/milestones`)).result[0].id;

    taggedRunIds = [
      await submitRun("nightly 1", ["release-5"], ["passed", "passed", "failed"]),
      await submitRun("nightly 2", ["nightly"], ["passed", "passed", "passed", "skipped"]),
    ];
    await submitRun("other branch", ["feature-x"], ["failed"]);
    for (const id of taggedRunIds) {
      expect((await api("GET", `/automation/runs/${id}`)).result.milestone_id).toBe(milestoneId);
    }
    expect(problems).toEqual([]);
  });

  it("a tester records a session: charter, timer, notes, findings with statuses, a file; then closes it", async () => {
    const { page, problems } = await signedIn("tester", `/projects/${projectId}/sessions`);
    await page.getByRole("heading", { name: "No open sessions" }).waitFor();
    const form = page.getByRole("form", { name: "Start a session" });
    // a disabled primary button (no name yet) is legible and does not look like one that works, in both themes
    const start = form.getByRole("button", { name: "Start session" });
    expect(await start.isDisabled()).toBe(true);
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const look = await disabledLook(start);
      expect(look, colorScheme).toMatchObject({ opacity: "1", borderStyle: "dashed" });
      expect(look.contrast, colorScheme).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: "light" });
    await form.getByLabel("Name").fill("Explore checkout");
    await form.getByLabel("Milestone").selectOption({ label: "Release 5" });
    await form.getByLabel("Charter").fill("Explore payment with expired cards\nto find wrong acceptances");
    await expectAccessible(page);
    await form.getByRole("button", { name: "Start session" }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    sessionId = Number(new URL(page.url()).pathname.split("/").at(-1));
    await page.getByRole("heading", { name: "Explore checkout", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Release 5" }).waitFor();

    const timer = page.getByRole("region", { name: "Timer" });
    await timer.getByRole("button", { name: "Start timer" }).click();
    await timer.getByRole("button", { name: "Pause timer" }).waitFor();
    await timer.getByText(/Running: 00:0[1-9]/).waitFor({ timeout: 20_000 });

    const notes = page.getByRole("region", { name: "Notes" });
    await notes.getByLabel("Notes").fill("Card form is slow.\n<script>alert('x')</script>");
    await notes.getByRole("button", { name: "Save notes" }).click();
    await notes.getByRole("status").getByText("Saved.").waitFor();
    // unsaved notes: leaving by a link asks first, and Stay keeps the text
    await notes.getByLabel("Notes").fill("Card form is slow.\nHalf a thought");
    await page.getByRole("link", { name: "All sessions" }).click();
    const leave = page.getByRole("dialog", { name: "Leave without saving?" });
    await leave.getByText("You have not saved your notes.", { exact: false }).waitFor();
    await leave.getByRole("button", { name: "Stay" }).click();
    await leave.waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe(`/sessions/${sessionId}`);
    expect(await notes.getByLabel("Notes").inputValue()).toBe("Card form is slow.\nHalf a thought");
    // back to what is saved: nothing to lose, so the reload below does not ask
    await notes.getByLabel("Notes").fill("Card form is slow.\n<script>alert('x')</script>");

    const findings = page.getByRole("region", { name: "Findings" });
    await findings.getByLabel("Status").selectOption({ label: "Passed" });
    await findings.getByLabel("Finding", { exact: true }).fill("Valid cards are accepted");
    await findings.getByRole("button", { name: "Add finding" }).click();
    await findings.getByText("Valid cards are accepted").waitFor();
    await findings.getByLabel("Status").selectOption({ label: "Failed" });
    await findings.getByLabel("Finding", { exact: true }).fill("Expired card <img src=x onerror=alert(1)> accepted");
    await findings.getByRole("button", { name: "Add finding" }).click();
    // untrusted text is text: the markup shows as typed, nothing is rendered from it
    await findings.getByText("Expired card <img src=x onerror=alert(1)> accepted").waitFor();
    expect(await page.locator(".session__finding img").count()).toBe(0);
    await page.getByRole("img", { name: "1 passed, 1 failed, 0 skipped, 0 other" }).waitFor();

    const files = page.getByRole("region", { name: "Files" });
    await files.getByLabel("File", { exact: true }).setInputFiles({
      name: "console.log",
      mimeType: "text/plain",
      buffer: Buffer.from("TypeError: card.expiry is undefined\n".repeat(2000)),
    });
    await files.getByRole("button", { name: "Upload" }).click();
    await files.getByRole("link", { name: "console.log" }).waitFor();
    await files.getByText("Uploaded.").waitFor();

    await timer.getByRole("button", { name: "Pause timer" }).click();
    await timer.getByRole("button", { name: "Resume timer" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "session");

    // the timer and everything recorded survive a reload
    await page.reload();
    await page
      .getByRole("region", { name: "Timer" })
      .getByText(/Paused: 00:0[1-9]/)
      .waitFor();
    expect(await page.getByRole("region", { name: "Notes" }).getByLabel("Notes").inputValue()).toBe(
      "Card form is slow.\n<script>alert('x')</script>",
    );

    await page.getByRole("button", { name: "Close session" }).click();
    const confirm = page.getByRole("dialog", { name: "Close the session “Explore checkout”?" });
    await expectAccessible(page);
    await confirm.getByRole("button", { name: "Close session" }).click();
    await page.getByText("This session is closed").waitFor();
    expect(await page.getByRole("button", { name: "Add finding" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /timer/ }).count()).toBe(0);
    await page.getByRole("region", { name: "Notes" }).getByText("<script>alert('x')</script>").waitFor();
    const session = (await api("GET", `/x/sessions/${sessionId}`)).result;
    expect(session).toMatchObject({ is_closed: true, timer_started_at: null, total_count: 2 });
    expect(session.elapsed).toBeGreaterThanOrEqual(1_000_000);
    expect(problems).toEqual([]);
  });

  it("the milestone shows the session and the automation runs with progress; the lead edits it", async () => {
    const { page, problems } = await signedIn("lead", `/milestones/${milestoneId}`);
    await page.getByRole("heading", { name: "Release 5", level: 1 }).waitFor();
    await page.getByText("<b>plain text</b>", { exact: false }).waitFor();
    const automation = page.getByRole("region", { name: /Automation runs/ });
    await automation.getByText("2 of 2 done").waitFor();
    await automation.getByRole("link", { name: "nightly 1" }).waitFor();
    await automation.getByRole("link", { name: "nightly 2" }).waitFor();
    await automation
      .getByRole("row", { name: /nightly 2/ })
      .getByRole("img", { name: "3 passed, 0 failed, 1 skipped, 0 other" })
      .waitFor();
    expect(await automation.getByRole("link", { name: "other branch" }).count()).toBe(0);
    const sessions = page.getByRole("region", { name: /^Sessions/ });
    await sessions.getByRole("link", { name: "Explore checkout" }).waitFor();
    await sessions.getByText("1 of 1 done").waitFor();
    const totals = page.getByRole("region", { name: "Progress" });
    await totals.getByText("9 results in 0 manual runs, 1 session and 2 automation runs.").waitFor();
    await totals.getByRole("img", { name: "6 passed, 2 failed, 1 skipped, 0 other" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "milestone");

    await page.getByRole("button", { name: "Edit milestone" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit “Release 5”" });
    await dialog.getByLabel("Name").fill("Release 5.0");
    await dialog.getByRole("button", { name: "Save milestone" }).click();
    await page.getByRole("heading", { name: "Release 5.0", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Complete milestone" }).click();
    await page.getByRole("button", { name: "Reopen milestone" }).waitFor();
    await page.locator(".page-header").getByText("Completed", { exact: true }).waitFor();

    await automation.getByRole("link", { name: "nightly 1" }).click();
    await page.waitForURL((url) => url.pathname === `/automation/runs/${taggedRunIds[0]}`);
    expect(problems).toEqual([]);
  });

  it("a read-only user sees sessions and milestones but cannot change them (dark theme)", async () => {
    const { page, problems } = await signedIn("reader", `/sessions/${sessionId}`, { colorScheme: "dark" });
    await page.getByRole("heading", { name: "Explore checkout", level: 1 }).waitFor();
    await page.getByText(/recording needs the “results” permission/).waitFor();
    await page.getByRole("region", { name: "Findings" }).getByText("Valid cards are accepted").waitFor();
    expect(
      await page
        .getByRole("button")
        .filter({ hasText: /Close session|Add finding|Upload|timer/ })
        .count(),
    ).toBe(0);
    await expectAccessible(page);

    await page.goto(`/projects/${projectId}/sessions?state=all`);
    await page.getByRole("link", { name: "Explore checkout" }).waitFor();
    expect(await page.getByRole("form", { name: "Start a session" }).count()).toBe(0);

    await page.goto(`/milestones/${milestoneId}`);
    await page.getByRole("heading", { name: "Release 5.0", level: 1 }).waitFor();
    await page
      .getByRole("region", { name: /Automation runs/ })
      .getByRole("link", { name: "nightly 2" })
      .waitFor();
    expect(await page.getByRole("button", { name: /Edit milestone|Reopen milestone/ }).count()).toBe(0);

    await expectAccessible(page);
    await screenshot(page, "milestone-dark");

    await page.goto(`/projects/${projectId}/milestones?state=all`);
    await page.getByRole("link", { name: "Release 5.0" }).waitFor();
    expect(await page.getByRole("button", { name: /New milestone|Edit/ }).count()).toBe(0);
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it("a user without access to the project cannot open the session or the milestone by URL", async () => {
    const { page, problems } = await signedIn("outsider", `/sessions/${sessionId}`);
    const alert = page.getByRole("alert");
    await alert.getByRole("heading", { name: "No access" }).waitFor();
    await alert.getByText(`You do not have access to project ${projectId}.`, { exact: false }).waitFor();
    expect(await page.getByText("Explore checkout").count()).toBe(0);
    await expectAccessible(page);
    await page.goto(`/milestones/${milestoneId}`);
    await page.getByRole("alert").getByRole("heading", { name: "No access" }).waitFor();
    expect(await page.getByText("Release 5.0").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
