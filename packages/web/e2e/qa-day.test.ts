// biome-ignore-all lint/suspicious/noExplicitAny: e2e tests read response bodies field by field
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
 * Issue 9's "Done when", as one story on a fresh install (no demo data), in Chromium against the real
 * server: "A QA lead, signed in on a fresh install, builds a small repository with steps and attachments,
 * runs it as a manual run with two testers, records an exploratory session, sees the milestone progress
 * with its automation runs, and an administrator manages users, groups and access, all without a shell."
 *
 * After `startAssay({ adminPassword })` everything is done in the browser, by five people in contexts of
 * their own (administrator, lead, two testers); only CI is not a person: it submits two automation runs
 * with the built CLI and a token the lead created on the API tokens page. The administrator's API token
 * is used for reads only, to check what the UI stored. Each step is a test of its own; a failed step
 * skips the ones after it. Every page is checked for CSP violations and console errors, the main pages
 * with axe.
 *
 * Screenshots go to e2e/screenshots/qa-day-*.png; with ASSAY_E2E_DOCS_SCREENSHOTS=1 the README's set
 * (light theme, 1280 px wide) is also copied into docs/screenshots/:
 *   ASSAY_E2E_DOCS_SCREENSHOTS=1 npx vitest run packages/web/e2e/qa-day.test.ts
 */
const ADMIN_PASSWORD = "correct horse battery staple";
const CLI = fileURLToPath(new URL("../../cli/dist/main.js", import.meta.url));
const DOCS = process.env.ASSAY_E2E_DOCS_SCREENSHOTS === "1";
const SETUP_MS = 60_000;
const STEP_MS = 45_000;

const PROJECT = "Web shop";
const MILESTONE = { name: "Release 5", tag: "release-5", due: "2026-12-24" };
const RUN = "Release 5 regression";
const SESSION = "Explore expired cards";
const PEOPLE = {
  lead: { email: "lena@qa-day.test", name: "Lena Lead", role: "project-manager", password: "lena's long password" },
  tester1: { email: "tess@qa-day.test", name: "Tess Tester", role: "tester", password: "tess's long password" },
  tester2: { email: "toby@qa-day.test", name: "Toby Tester", role: "tester", password: "toby's long password" },
  reader: { email: "rita@qa-day.test", name: "Rita Reader", role: "read-only", password: "rita's long password" },
} as const;
type Person = keyof typeof PEOPLE;

/** The repository the lead builds: Checkout with a subfolder Payments; three cases with steps. */
const CASES = [
  {
    folder: ["Checkout"],
    name: "Pay by card",
    tags: "smoke, payments",
    steps: [
      ["Put a book in the cart and open the cart", "The cart lists the book"],
      ["Pay with the test card 4242 4242 4242 4242", "The order is confirmed"],
      ["Open the order history", "The order is listed as paid"],
    ],
    image: "card-form.png",
  },
  {
    folder: ["Checkout"],
    name: "Apply a voucher",
    tags: "payments",
    steps: [["Enter the voucher SAVE10 in the cart", "The total drops by 10%"]],
  },
  {
    folder: ["Checkout", "Payments"],
    name: "Refund a card payment",
    tags: "payments",
    steps: [
      ["Open a paid order as support", "A Refund button is shown"],
      ["Refund the whole amount", "The order is marked refunded"],
    ],
  },
] as const;

/** CI's two automation runs: 3 results (2 passed, 1 failed), then 2 (both passed). */
const CI_RUNS = [
  { name: "CI nightly 1", passed: ["lists the books", "adds to the cart"], failed: ["charges the card"] },
  { name: "CI nightly 2", passed: ["lists the books", "charges the card"], failed: [] },
] as const;

describeInBrowser("issue 9's QA day on a fresh install, in Chromium", () => {
  let server: AssayServer;
  let browser: Browser;
  let admin: WatchedPage;
  let workDir: string;
  let projectId = 0;
  let runId = 0;
  let sessionId = 0;
  const people = new Map<Person, WatchedPage>();
  let stepFailed = false;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-qa-day-"));
    [server, browser] = await Promise.all([startAssay({ adminPassword: ADMIN_PASSWORD }), launchBrowser()]);
    admin = await openPage(browser, server.url);
  }, SETUP_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });
  // one story: once a step failed, the ones after it cannot mean anything
  beforeEach((context) => {
    if (stepFailed) context.skip("an earlier step of the QA day failed");
  });
  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      stepFailed = true;
      // what each person saw when the step failed
      for (const [who, watched] of [["admin", admin], ...people] as const) {
        await screenshot(watched.page, `qa-day-failed-${who}`).catch(() => {});
      }
    }
    expect(admin?.problems ?? [], "administrator").toEqual([]);
    for (const [person, watched] of people) expect(watched.problems, person).toEqual([]);
  });

  /** The administrator's API, for reading what the UI stored. */
  async function read(pathname: string): Promise<any> {
    const response = await fetch(`${server.url}/api/v1${pathname}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    if (!response.ok) throw new Error(`GET ${pathname} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  function pageOf(person: Person): Page {
    const watched = people.get(person);
    if (!watched) throw new Error(`${person} has not accepted their invite`);
    return watched.page;
  }

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  /**
   * A screenshot of the page (whole page) and, for the README, one 1280 px wide of the top of the page:
   * the viewport, or down to the bottom of `downTo`; copied to docs/screenshots/<docs>.png when asked.
   */
  async function shot(page: Page, name: string, docs?: string, downTo?: Locator) {
    // the pointer rests in the page's right margin: no hover effect in the pictures
    await page.mouse.move(1275, 795);
    await screenshot(page, `qa-day-${name}`);
    if (!docs) return;
    let clip: { x: number; y: number; width: number; height: number } | undefined;
    if (downTo) {
      const box = await downTo.evaluate((element) => {
        const rect = element.getBoundingClientRect();
        return { bottom: rect.bottom + window.scrollY, width: document.documentElement.clientWidth };
      });
      clip = { x: 0, y: 0, width: box.width, height: Math.ceil(box.bottom) + 24 };
    }
    const file = await screenshot(page, `qa-day-${name}-docs`, clip ? { clip } : { fullPage: false });
    if (DOCS) copyToDocs(file, docs);
  }

  /**
   * A 480×300 PNG of a card payment form ending in `message` on a `tone` bar: drawn on a canvas in the
   * page (page.evaluate runs through the DevTools protocol, not under the page's CSP).
   */
  async function cardFormPng(page: Page, message: string, tone: string): Promise<Buffer> {
    const dataUrl = await page.evaluate(
      ([text, color]) => {
        const canvas = document.createElement("canvas");
        canvas.width = 480;
        canvas.height = 300;
        const g = canvas.getContext("2d")!;
        g.fillStyle = "#eef0f4";
        g.fillRect(0, 0, 480, 300);
        g.fillStyle = "#ffffff";
        g.fillRect(40, 24, 400, 252);
        g.strokeStyle = "#c3c8d2";
        g.strokeRect(40.5, 24.5, 400, 252);
        g.fillStyle = "#1d2330";
        g.font = "bold 20px sans-serif";
        g.fillText("Card payment", 64, 62);
        const field = (label: string, value: string, y: number, width: number) => {
          g.fillStyle = "#5a6170";
          g.font = "14px sans-serif";
          g.fillText(label, 64, y);
          g.strokeRect(64.5, y + 8.5, width, 32);
          g.fillStyle = "#1d2330";
          g.fillText(value, 76, y + 30);
        };
        field("Card number", "4242 4242 4242 4242", 96, 352);
        field("Expiry", "12 / 26", 160, 120);
        g.fillStyle = color;
        g.fillRect(64, 222, 352, 32);
        g.fillStyle = "#ffffff";
        g.font = "bold 15px sans-serif";
        g.fillText(text, 78, 243);
        return canvas.toDataURL("image/png");
      },
      [message, tone] as const,
    );
    return Buffer.from(dataUrl.split(",")[1]!, "base64");
  }

  const projectNav = (page: Page) => page.getByRole("navigation", { name: "Project", exact: true });
  const adminNav = (page: Page) => page.getByRole("navigation", { name: "Administration" });

  /** From the projects list into the project, then one of its sections by the project navigation. */
  async function openSection(page: Page, section: string) {
    if (!new URL(page.url()).pathname.startsWith(`/projects/${projectId}`)) {
      await page.goto("/projects");
      await page.getByRole("link", { name: PROJECT, exact: true }).click();
      await page.waitForURL((url) => url.pathname === `/projects/${projectId}`);
    }
    await projectNav(page).getByRole("link", { name: section, exact: true }).click();
    await page.getByRole("heading", { name: section, level: 1 }).waitFor();
  }

  /** The administrator invites on the Users page; the invitee opens the link in a browser of their own. */
  async function invite(person: Person) {
    const { page } = admin;
    const { email, name, role, password } = PEOPLE[person];
    const form = page.getByRole("form", { name: "Invite a user" });
    await form.getByLabel("E-mail").fill(email);
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Role").selectOption(role);
    await form.getByRole("button", { name: "Create invite link" }).click();
    const panel = page.getByRole("region", { name: `Invite link for ${email}` });
    const link = await panel.getByLabel("Invite link").inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/invite/`));
    await panel.getByRole("button", { name: "Done" }).click();

    const invitee = await openPage(browser, server.url);
    people.set(person, invitee);
    invitee.page.setDefaultTimeout(STEP_MS / 2);
    await invitee.page.goto(link);
    await invitee.page.getByRole("heading", { name: `Welcome to Assay, ${name}` }).waitFor();
    await invitee.page.getByLabel("New password").fill(password);
    await invitee.page.getByLabel("Repeat the password").fill(password);
    await invitee.page.getByRole("button", { name: "Set password and sign in" }).click();
    await invitee.page.waitForURL((url) => url.pathname === "/projects");
    await invitee.page.getByRole("button", { name: new RegExp(`^Account: ${name}`) }).waitFor();
  }

  it("1. the administrator signs in, creates the project and invites a lead and two testers", {
    timeout: STEP_MS,
  }, async () => {
    const { page } = admin;
    page.setDefaultTimeout(STEP_MS / 2);
    await page.goto("/");
    await page.waitForURL("**/sign-in?redirect=*");
    await page.getByLabel("E-mail").fill(ADMIN_EMAIL);
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/projects");

    await page.getByRole("link", { name: "Administration" }).click();
    await adminNav(page).getByRole("link", { name: "Projects" }).click();
    await page.getByLabel("Project name").fill(PROJECT);
    await page.getByRole("button", { name: "Create project" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Project “${PROJECT}” created.` })
      .waitFor();
    const projects = (await read("/projects")).result as { id: number; name: string }[];
    projectId = projects.find((project) => project.name === PROJECT)!.id;
    expect(projectId).toBeGreaterThan(0);

    await adminNav(page).getByRole("link", { name: "Users" }).click();
    await page.getByRole("form", { name: "Invite a user" }).waitFor();
    for (const person of Object.keys(PEOPLE) as Person[]) await invite(person);
    await expectAccessible(page);
    const users = (await read("/users?per_page=100")).result as { email: string; role_id: number }[];
    expect(users.filter((user) => user.email.endsWith("@qa-day.test")).map((user) => user.role_id)).toEqual([
      2, 3, 3, 4,
    ]);
  });

  it("2. puts the testers in a group “QA” with tester access, shuts everyone else out, lets a stakeholder read", {
    timeout: STEP_MS,
  }, async () => {
    const { page } = admin;
    await adminNav(page).getByRole("link", { name: "Groups" }).click();
    await page.getByLabel("Group name").fill("QA");
    await page.getByRole("button", { name: "Create group" }).click();
    const members = page.getByRole("region", { name: "Members of QA" });
    for (const person of ["tester1", "tester2"] as const) {
      const { name, email } = PEOPLE[person];
      await members.getByLabel("Add a member", { exact: true }).selectOption({ label: `${name} (${email})` });
      await members.getByRole("button", { name: "Add to group" }).click();
      await members.getByRole("button", { name: `Remove ${name}` }).waitFor();
    }
    await expectAccessible(page);

    await adminNav(page).getByRole("link", { name: "Access" }).click();
    await page.getByLabel("Project", { exact: true }).selectOption({ label: PROJECT });
    await page.waitForURL((url) => url.searchParams.get("project") === String(projectId));
    const form = page.getByRole("form", { name: "Give a user or group access" });
    await form.getByLabel("User or group").selectOption({ label: "QA" });
    await form.getByLabel("Access").selectOption("tester");
    await form.getByRole("button", { name: "Save access" }).click();
    await page.getByLabel("Access of QA").waitFor();
    await form.getByLabel("User or group").selectOption({ label: `${PEOPLE.lead.name} (${PEOPLE.lead.email})` });
    await form.getByLabel("Access").selectOption("project-manager");
    await form.getByRole("button", { name: "Save access" }).click();
    await page.getByLabel(`Access of ${PEOPLE.lead.name}`).waitFor();
    await page.getByLabel("Project default").selectOption("none");
    await expect
      .poll(async () => (await read(`/x/projects/${projectId}/access`)).result.default)
      .toEqual({ role: null });
    // the default shuts out everyone without their own or a group's access: the read-only stakeholder too…
    const rita = pageOf("reader");
    await rita.reload();
    await rita.getByRole("link", { name: "First project", exact: true }).waitFor();
    expect(await rita.getByRole("link", { name: PROJECT, exact: true }).count()).toBe(0);
    // …until she is given read-only access of her own
    await form.getByLabel("User or group").selectOption({ label: `${PEOPLE.reader.name} (${PEOPLE.reader.email})` });
    await form.getByLabel("Access").selectOption("read-only");
    await form.getByRole("button", { name: "Save access" }).click();
    await page.getByLabel(`Access of ${PEOPLE.reader.name}`).waitFor();
    await rita.reload();
    await rita.getByRole("link", { name: PROJECT, exact: true }).waitFor();
    expect(await page.getByLabel("Access of QA").inputValue()).toBe("tester");
    await expectAccessible(page);
    await shot(page, "2-admin-access", "admin-access", form);
    const access = (await read(`/x/projects/${projectId}/access`)).result;
    expect(access.groups).toEqual([{ group_id: expect.any(Number), name: "QA", role: "tester" }]);
    expect(access.users).toEqual([
      { user_id: expect.any(Number), name: PEOPLE.lead.name, role: "project-manager" },
      { user_id: expect.any(Number), name: PEOPLE.reader.name, role: "read-only" },
    ]);

    // the testers reach the project through their group (the project default alone would shut them out)
    const tester = pageOf("tester1");
    await tester.reload();
    await tester.getByRole("link", { name: PROJECT, exact: true }).waitFor();
  });

  it("3. the lead builds folders and cases with steps, tags and an image attachment", {
    timeout: STEP_MS,
  }, async () => {
    const page = pageOf("lead");
    await openSection(page, "Repository");
    const tree = page.getByRole("tree", { name: "Folders" });
    const folder = (name: string) => tree.getByRole("treeitem", { name, exact: true });
    await page.getByLabel("New top-level folder").fill("Checkout");
    await page.getByRole("button", { name: "Add folder" }).click();
    await folder("Checkout").click();
    await page.getByLabel("New folder in “Checkout”").fill("Payments");
    await page.getByRole("button", { name: "Add folder" }).click();
    // adding a folder opens its parent, so the new one is in sight
    await folder("Payments").waitFor();
    await tree.locator('[role="treeitem"][aria-expanded="true"]').filter({ hasText: "Checkout" }).waitFor();
    await expectAccessible(page);

    /** Opens the folders down to the last of `names` (a collapsed one with the keyboard) and selects it. */
    async function selectFolder(names: readonly string[]) {
      for (const name of names.slice(0, -1)) {
        if ((await folder(name).getAttribute("aria-expanded")) === "false") await folder(name).press("ArrowRight");
      }
      await folder(names.at(-1)!).click();
    }

    for (const kase of CASES) {
      await selectFolder(kase.folder);
      await page.getByLabel("New case").fill(kase.name);
      await page.getByRole("button", { name: "Create case" }).click();
      await page.waitForURL(/\/cases\/\d+$/);
      for (const [i, [step, expected]] of kase.steps.entries()) {
        await page.getByRole("button", { name: "Add step" }).click();
        await page.getByLabel(`Step ${i + 1}`, { exact: true }).fill(step);
        await page.getByLabel(`Expected result of step ${i + 1}`).fill(expected);
      }
      await page.getByLabel("Tags").fill(kase.tags);
      await page.getByRole("button", { name: "Save case" }).click();
      await page.getByText("Saved.").waitFor();
      if ("image" in kase) {
        const buffer = await cardFormPng(page, "Pay 24.90 €", "#0b57d0");
        await page.getByLabel("Add files").setInputFiles({ name: kase.image, mimeType: "image/png", buffer });
        await page.getByRole("button", { name: "Upload" }).click();
        const preview = page.getByRole("img", { name: `Preview of ${kase.image}` });
        await preview.waitFor();
        await expect
          .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
          .toBe(480);
        await expectAccessible(page);
        await shot(page, "3-case", "case", page.getByRole("button", { name: "Add step" }));
      }
      await projectNav(page).getByRole("link", { name: "Repository", exact: true }).click();
      await page.getByRole("heading", { name: "Repository", level: 1 }).waitFor();
    }

    await selectFolder(["Checkout", "Payments"]);
    await selectFolder(["Checkout"]);
    const cases = page.getByRole("table", { name: "Cases" });
    await cases.getByRole("link", { name: "Pay by card" }).waitFor();
    await expectAccessible(page);
    await shot(page, "3-repository", "repository");

    const stored = (await read(`/x/projects/${projectId}/cases?per_page=100`)).result as {
      id: number;
      name: string;
    }[];
    expect(stored.map((kase) => kase.name).sort()).toEqual(CASES.map((kase) => kase.name).sort());
    for (const kase of CASES) {
      const id = stored.find((s) => s.name === kase.name)!.id;
      const full = (await read(`/x/cases/${id}`)).result;
      expect(full.steps.map((step: { step: string }) => step.step)).toEqual(kase.steps.map(([step]) => step));
    }
  });

  it("4. the lead creates a milestone with an automation tag and a manual run for the two testers", {
    timeout: STEP_MS,
  }, async () => {
    const page = pageOf("lead");
    await openSection(page, "Milestones");
    await page.getByRole("button", { name: "New milestone" }).click();
    const dialog = page.getByRole("dialog", { name: "New milestone" });
    await dialog.getByLabel("Name").fill(MILESTONE.name);
    await dialog.getByLabel("Due date").fill(MILESTONE.due);
    await dialog.getByLabel("Automation tags").fill(MILESTONE.tag);
    await dialog.getByRole("button", { name: "Create milestone" }).click();
    await dialog.waitFor({ state: "detached" });
    await page
      .getByRole("row", { name: new RegExp(MILESTONE.name) })
      .getByText(MILESTONE.tag)
      .waitFor();
    await expectAccessible(page);

    await openSection(page, "Manual runs");
    await page.getByRole("link", { name: "New manual run" }).click();
    const form = page.getByRole("form", { name: "New manual run" });
    await form.getByLabel("Name", { exact: true }).fill(RUN);
    await form.getByLabel("Milestone").selectOption({ label: MILESTONE.name });
    // the Checkout folder brings its subfolder Payments along
    await form.getByRole("checkbox", { name: /^Checkout/ }).check();
    await form.getByText(`${CASES.length} cases chosen`).waitFor();
    await form.getByRole("checkbox", { name: PEOPLE.tester1.name }).check();
    await form.getByRole("checkbox", { name: PEOPLE.tester2.name }).check();
    await expectAccessible(page);
    await form.getByRole("button", { name: "Create run" }).click();
    await page.waitForURL(/\/manual-runs\/\d+/);
    runId = Number(/\/manual-runs\/(\d+)/.exec(page.url())![1]);
    await page.getByRole("heading", { name: RUN, level: 1 }).waitFor();
    await page.getByText(`Milestone: ${MILESTONE.name}`).waitFor();
    await page.getByText(`0 of ${CASES.length} tested (0%)`).waitFor();

    const tests = (await read(`/x/runs/${runId}/tests`)).result as { assignee_id: number }[];
    const users = (await read("/users?per_page=100")).result as { id: number; email: string }[];
    const idOf = (person: Person) => users.find((user) => user.email === PEOPLE[person].email)!.id;
    const assignees = tests.map((test) => test.assignee_id);
    expect(assignees.filter((id) => id === idOf("tester1"))).toHaveLength(2);
    expect(assignees.filter((id) => id === idOf("tester2"))).toHaveLength(1);
  });

  /** A tester opens the run from the project's Manual runs and shows only their own tests. */
  async function openRunAs(person: Person): Promise<Page> {
    const page = pageOf(person);
    await openSection(page, "Manual runs");
    await page.getByRole("link", { name: RUN }).click();
    await page.getByRole("heading", { name: RUN, level: 1 }).waitFor();
    await page.getByLabel("Only my tests").check();
    await page.waitForURL((url) => url.searchParams.get("mine") === "1");
    // the run's keys are off while the focus is in a form control, the checkbox too: Escape leaves it
    await page.keyboard.press("Escape");
    await page.locator("#current-test-title").waitFor();
    return page;
  }

  const currentTest = (page: Page) => page.locator("#current-test-title");
  const saved = (page: Page, text: string) => page.locator(".manual-run__saved").getByText(text, { exact: true });

  it("5. tester 1 and tester 2 execute their tests with the keyboard", { timeout: STEP_MS }, async () => {
    const tess = await openRunAs("tester1");
    const first = (await currentTest(tess).textContent())!;
    await tess.keyboard.press("c");
    await expect.poll(() => tess.evaluate(() => document.activeElement?.tagName)).toBe("TEXTAREA");
    await tess.keyboard.type("The card is declined: “insufficient funds” on a card with funds");
    await tess.keyboard.press("Escape");
    const declined = await cardFormPng(tess, "Declined: insufficient funds", "#c5221f");
    await tess
      .getByLabel("Attach a screenshot")
      .setInputFiles({ name: "declined.png", mimeType: "image/png", buffer: declined });
    await tess.keyboard.press("Escape");
    await tess.keyboard.press("f");
    await saved(tess, `Failed saved for “${first}”.`).waitFor();
    await expect.poll(() => currentTest(tess).textContent()).not.toBe(first);
    const second = (await currentTest(tess).textContent())!;
    await tess.keyboard.press("p");
    await saved(tess, `Passed saved for “${second}”.`).waitFor();
    // back to the failure, as the picture for the README shows it
    await tess.keyboard.press("k");
    await expect.poll(() => currentTest(tess).textContent()).toBe(first);
    await tess
      .locator(".manual-run__note")
      .getByText(/insufficient funds/)
      .waitFor();
    const thumb = tess.getByRole("img", { name: "Screenshot declined.png" });
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);
    await expectAccessible(tess);
    await shot(tess, "5-manual-run", "manual-run", tess.getByRole("region", { name: "Record a result" }));

    const toby = await openRunAs("tester2");
    const his = (await currentTest(toby).textContent())!;
    expect([first, second]).not.toContain(his);
    await toby.keyboard.press("p");
    await saved(toby, `Passed saved for “${his}”.`).waitFor();
    await toby.getByText(`${CASES.length} of ${CASES.length} tested (100%)`).waitFor();

    const results = (await read(`/runs/${runId}/results`)).result as { status_id: number }[];
    expect(results.map((result) => result.status_id).sort()).toEqual([2, 2, 3]);
  });

  it("6. the lead sees the progress and closes the run", { timeout: STEP_MS }, async () => {
    const page = pageOf("lead");
    await openSection(page, "Manual runs");
    const row = page.getByRole("row", { name: new RegExp(RUN) });
    await row.getByText(`${CASES.length} of ${CASES.length} tested (100%)`).waitFor();
    await expectAccessible(page);
    await row.getByRole("link", { name: RUN }).click();
    await page.getByRole("button", { name: "Close run" }).click();
    await page
      .getByRole("dialog", { name: /Close the run/ })
      .getByRole("button", { name: "Close run" })
      .click();
    await page.getByText("This run is closed: its results are final").waitFor();
    expect((await read(`/runs/${runId}`)).result.is_closed).toBe(true);
  });

  it("7. tester 1 records an exploratory session (charter, timer, findings) and closes it", {
    timeout: STEP_MS,
  }, async () => {
    const page = pageOf("tester1");
    await openSection(page, "Sessions");
    const form = page.getByRole("form", { name: "Start a session" });
    await form.getByLabel("Name").fill(SESSION);
    await form.getByLabel("Milestone").selectOption({ label: MILESTONE.name });
    await form.getByLabel("Charter").fill("Explore paying with expired and blocked cards\nto find wrong acceptances");
    await form.getByRole("button", { name: "Start session" }).click();
    await page.waitForURL(/\/sessions\/\d+$/);
    sessionId = Number(new URL(page.url()).pathname.split("/").at(-1));
    await page.getByRole("heading", { name: SESSION, level: 1 }).waitFor();

    const timer = page.getByRole("region", { name: "Timer" });
    await timer.getByRole("button", { name: "Start timer" }).click();
    await timer.getByText(/Running: 00:0[1-9]/).waitFor({ timeout: 20_000 });
    const notes = page.getByRole("region", { name: "Notes" });
    await notes
      .getByLabel("Notes")
      .fill("Tried 6 expired and 3 blocked test cards in Chrome.\nThe expiry check compares months only.");
    await notes.getByRole("button", { name: "Save notes" }).click();
    await notes.getByRole("status").getByText("Saved.").waitFor();
    const findings = page.getByRole("region", { name: "Findings", exact: true });
    for (const [status, text] of [
      ["Passed", "Blocked cards are refused with a clear message"],
      ["Failed", "An expired card is accepted when its month is the current one"],
    ] as const) {
      await findings.getByLabel("Status").selectOption({ label: status });
      await findings.getByLabel("Finding", { exact: true }).fill(text);
      await findings.getByRole("button", { name: "Add finding" }).click();
      await findings.getByText(text).waitFor();
    }
    await timer.getByRole("button", { name: "Pause timer" }).click();
    await timer.getByRole("button", { name: "Resume timer" }).waitFor();
    await expectAccessible(page);
    await shot(page, "7-session", "session", findings);

    await page.getByRole("button", { name: "Close session" }).click();
    await page
      .getByRole("dialog", { name: `Close the session “${SESSION}”?` })
      .getByRole("button", { name: "Close session" })
      .click();
    await page.getByText("This session is closed").waitFor();
    const session = (await read(`/x/sessions/${sessionId}`)).result;
    expect(session).toMatchObject({ is_closed: true, total_count: 2 });
    expect(session.elapsed).toBeGreaterThanOrEqual(1_000_000);
  });

  it("8. CI submits two tagged automation runs with the lead's token; the milestone shows all the work", {
    timeout: STEP_MS,
  }, async () => {
    const page = pageOf("lead");
    await page.getByRole("button", { name: /^Account:/ }).click();
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
    await page.getByLabel("Name").fill("CI");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByRole("region", { name: "Token “CI” created" }).getByLabel("New token").inputValue();
    expect(token).toMatch(/^assay_\S+$/);
    await expectAccessible(page);

    for (const run of CI_RUNS) {
      const results = path.join(workDir, `${run.name.replace(/\W/g, "-")}.xml`);
      fs.writeFileSync(results, junit(run));
      const cli = await runCli(token, [
        "automation:run:submit",
        ...["--instance", server.url, "--project-id", String(projectId), "--name", run.name],
        ...["--source", "ci", "--tags", MILESTONE.tag, "--results", results],
      ]);
      expect(cli.code, cli.output).toBe(0);
    }

    await openSection(page, "Milestones");
    await page.getByRole("link", { name: MILESTONE.name, exact: true }).click();
    await page.getByRole("heading", { name: MILESTONE.name, level: 1 }).waitFor();
    const automation = page.getByRole("region", { name: /^Automation runs/ });
    await automation.getByText("2 of 2 done").waitFor();
    for (const run of CI_RUNS) await automation.getByRole("link", { name: run.name }).waitFor();
    await automation
      .getByRole("row", { name: /CI nightly 1/ })
      .getByRole("img", { name: "2 passed, 1 failed, 0 skipped, 0 other" })
      .waitFor();
    const manual = page.getByRole("region", { name: /^Manual runs/ });
    await manual.getByText("1 of 1 done").waitFor();
    await manual
      .getByRole("row", { name: new RegExp(RUN) })
      .getByRole("img", { name: "2 passed, 1 failed, 0 skipped, 0 other" })
      .waitFor();
    const sessions = page.getByRole("region", { name: /^Sessions/ });
    await sessions.getByText("1 of 1 done").waitFor();
    await sessions.getByRole("link", { name: SESSION }).waitFor();
    const totals = page.getByRole("region", { name: "Progress" });
    await totals.getByText("10 results in 1 manual run, 1 session and 2 automation runs.").waitFor();
    await totals.getByRole("img", { name: "7 passed, 3 failed, 0 skipped, 0 other" }).waitFor();
    await expectAccessible(page);
    await shot(page, "8-milestone", "milestone", manual);

    // the manual run's link leads to the run
    await manual.getByRole("link", { name: RUN }).click();
    await page.waitForURL((url) => url.pathname === `/manual-runs/${runId}`);
    await page.getByRole("heading", { name: RUN, level: 1 }).waitFor();
  });

  it("9. the read-only stakeholder sees the milestone, the run and the cases, with no way to change them", {
    timeout: STEP_MS,
  }, async () => {
    const page = pageOf("reader");
    await openSection(page, "Milestones");
    await page.getByRole("link", { name: MILESTONE.name, exact: true }).click();
    await page.getByRole("heading", { name: MILESTONE.name, level: 1 }).waitFor();
    const manual = page.getByRole("region", { name: /^Manual runs/ });
    await manual.getByText("1 of 1 done").waitFor();
    await page
      .getByRole("region", { name: /^Automation runs/ })
      .getByText("2 of 2 done")
      .waitFor();
    expect(await page.getByRole("button", { name: /Edit milestone|Complete milestone/ }).count()).toBe(0);
    await expectAccessible(page);

    await openSection(page, "Manual runs");
    expect(await page.getByRole("link", { name: "New manual run" }).count()).toBe(0);
    // the list shows open runs first; the lead closed this one
    await page.getByRole("radio", { name: "Closed" }).check();
    await page.getByRole("link", { name: RUN }).click();
    await page.getByRole("heading", { name: RUN, level: 1 }).waitFor();
    await currentTest(page).waitFor();
    await page.getByText("This run is closed: its results are final").waitFor();
    await expectAccessible(page);

    // the repository: readable, with its image, but the case editor is locked
    await openSection(page, "Repository");
    await page.getByRole("tree", { name: "Folders" }).getByRole("treeitem", { name: "Checkout", exact: true }).click();
    expect(await page.getByRole("button", { name: /^(Create case|Add folder)$/ }).count()).toBe(0);
    await page.getByRole("table", { name: "Cases" }).getByRole("link", { name: "Pay by card" }).click();
    await page.getByRole("img", { name: "Preview of card-form.png" }).waitFor();
    expect(await page.getByLabel("Name", { exact: true }).isEditable()).toBe(false);
    expect(await page.getByLabel("Step 1", { exact: true }).isEditable()).toBe(false);
    expect(await page.getByRole("button", { name: /^(Save case|Upload|Add step)$/ }).count()).toBe(0);
    await expectAccessible(page);
  });
});

function junit(run: (typeof CI_RUNS)[number]): string {
  const cases = [
    ...run.passed.map((name) => `    <testcase classname="shop.Checkout" name="${name}" time="0.2"/>`),
    ...run.failed.map(
      (name) => `    <testcase classname="shop.Checkout" name="${name}" time="0.4">
      <failure message="expected status 201 but was 402" type="AssertionError">AssertionError</failure>
    </testcase>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="checkout" tests="${cases.length}" failures="${run.failed.length}">
${cases.join("\n")}
  </testsuite>
</testsuites>
`;
}

/** `node packages/cli/dist/main.js <args>` with only the token in its environment, as a CI job runs it. */
function runCli(token: string, args: string[]): Promise<{ code: number; output: string }> {
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
        resolve({ code, output: `exit ${code}\n${stdout}\n${stderr}` });
      },
    );
  });
}
