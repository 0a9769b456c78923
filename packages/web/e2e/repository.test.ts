import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";
import { type AssayServer, startAssay } from "./support/server.js";

/**
 * The repository (issue 9) in Chromium against the real server: a QA lead builds a folder tree
 * (create, rename, move by keyboard and by drag), writes a case with steps, tags, a state and an image
 * attachment, searches and filters, bulk-moves and bulk-deletes; two people edit one case and the
 * second is told and shown the difference; a read-only user sees everything but no write control;
 * a user without access gets the no-access page. Steps run in order on shared pages; a failed step
 * skips the ones after it.
 */
const PASSWORD = "correct horse battery staple";
const SETUP_MS = 60_000;
const STEP_MS = 30_000;
/** A 2×2 red PNG: small, and a real image the browser decodes (its preview gets a width). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==",
  "base64",
);

const USERS = {
  lead: { email: "lead@example.com", name: "Lena Lead", role: "project-manager" },
  tester: { email: "tess@example.com", name: "Tess Tester", role: "tester" },
  reader: { email: "reader@example.com", name: "Rita Reader", role: "read-only" },
  outsider: { email: "out@example.com", name: "Otto Outsider", role: "tester" },
} as const;

interface Folder {
  id: number;
  name: string;
  parent_id: number | null;
  display_order: number;
}

describeInBrowser("the repository in Chromium", () => {
  let server: AssayServer;
  let browser: Browser;
  let lead: WatchedPage;
  let page: Page;
  let projectId: number;
  let caseId: number;
  let stepFailed = false;
  /** the page a failing step's screenshot shows */
  let failedPage: Page;
  const others: WatchedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAssay({ adminPassword: PASSWORD }), launchBrowser()]);
    projectId = Number((await server.command(["project", "create", "--name", "Shop"])).trim());
    for (const user of Object.values(USERS)) {
      await server.command(["user", "create", "--email", user.email, "--name", user.name, "--role", user.role]);
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
    lead = await openPage(browser, server.url);
    page = lead.page;
    failedPage = page;
  }, SETUP_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  beforeEach((context) => {
    if (stepFailed) context.skip("an earlier step failed");
  });
  afterEach(async (context) => {
    if (context.task.result?.state === "fail") {
      stepFailed = true;
      // What the page showed when the step failed, beside the other screenshots.
      await screenshot(failedPage, "repository-failed").catch(() => {});
    }
    expect([...lead.problems, ...others.flatMap((o) => o.problems)]).toEqual([]);
  });

  async function api<T = unknown>(method: string, pathname: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}/api/v1${pathname}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? null : await response.json()) as T;
  }

  async function folders(): Promise<Folder[]> {
    const page = await api<{ result: Folder[] }>("GET", `/projects/${projectId}/folders?per_page=100`);
    return page.result;
  }

  async function folderNamed(name: string): Promise<Folder> {
    const folder = (await folders()).find((f) => f.name === name);
    if (!folder) throw new Error(`no folder named ${name}`);
    return folder;
  }

  async function signIn(target: Page, email: string) {
    await target.goto("/sign-in");
    await target.getByLabel("E-mail").fill(email);
    await target.getByLabel("Password").fill(PASSWORD);
    await target.getByRole("button", { name: "Sign in" }).click();
    await target.waitForURL((url) => url.pathname === "/projects");
  }

  async function noSeriousA11yProblems(target: Page) {
    expect(await seriousA11yViolations(target)).toEqual([]);
  }

  const tree = (target: Page = page) => target.getByRole("tree", { name: "Folders" });
  const treeItem = (name: string, target: Page = page) => tree(target).getByRole("treeitem", { name, exact: true });

  it("1. a QA lead opens the repository and creates folders", { timeout: STEP_MS }, async () => {
    await signIn(page, USERS.lead.email);
    await page.goto(`/projects/${projectId}`);
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Repository" }).click();
    await page.getByRole("heading", { name: "Repository", level: 1 }).waitFor();
    for (const name of ["Checkout", "Payments", "Accounts"]) {
      await page.getByRole("button", { name: "All cases" }).click();
      await page.getByLabel("New top-level folder").fill(name);
      await page.getByRole("button", { name: "Add folder" }).click();
      await treeItem(name).waitFor();
    }
    expect((await folders()).map((f) => f.name).sort()).toEqual(["Accounts", "Checkout", "Payments"]);
    await noSeriousA11yProblems(page);
  });

  it("2. renames a folder with F2", { timeout: STEP_MS }, async () => {
    await treeItem("Accounts").click();
    await treeItem("Accounts").press("F2");
    const input = page.getByLabel("New name of the folder “Accounts”");
    await input.fill("Accounts & login");
    await input.press("Enter");
    await treeItem("Accounts & login").waitFor();
    // The keyboard focus comes back to the renamed folder.
    await expect.poll(() => treeItem("Accounts & login").evaluate((e) => e === document.activeElement)).toBe(true);
    expect((await folders()).some((f) => f.name === "Accounts & login")).toBe(true);
  });

  it("3. moves a folder by keyboard (M, then “Move to…”)", { timeout: STEP_MS }, async () => {
    await treeItem("Payments").focus();
    await expect.poll(() => treeItem("Payments").evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press("m");
    const dialog = page.getByRole("dialog", { name: "Move “Payments” to…" });
    await dialog.getByLabel("New parent folder").selectOption({ label: "Checkout" });
    await dialog.getByRole("button", { name: "Move folder" }).click();
    await expect.poll(async () => (await folderNamed("Payments")).parent_id).toBe((await folderNamed("Checkout")).id);
    // The tree reads the folders again: Payments shows under Checkout, opened for it.
    await expect.poll(() => treeItem("Payments").getAttribute("aria-level")).toBe("2");
    expect(await treeItem("Checkout").getAttribute("aria-expanded")).toBe("true");
  });

  it("4. reorders a folder by dragging it above another", { timeout: STEP_MS }, async () => {
    const top = async () =>
      (await folders())
        .filter((f) => f.parent_id === null)
        .sort((a, b) => a.display_order - b.display_order)
        .map((f) => f.name);
    expect(await top()).toEqual(["Checkout", "Accounts & login"]);
    await treeItem("Accounts & login").dragTo(treeItem("Checkout"), { targetPosition: { x: 40, y: 2 } });
    await expect.poll(top).toEqual(["Accounts & login", "Checkout"]);
    // …and the tree shows the new order.
    await expect
      .poll(async () => (await tree().getByRole("treeitem").allTextContents()).map((t) => t.replace(/^[▸▾]/, "")))
      .toEqual(["Accounts & login", "Checkout", "Payments"]);
  });

  it("5. creates a case with 3 steps (one moved up), tags and a state", { timeout: STEP_MS }, async () => {
    await treeItem("Checkout").click();
    await page.getByLabel("New case").fill("Pay by card");
    await page.getByRole("button", { name: "Create case" }).click();
    await page.waitForURL(/\/cases\/\d+$/);
    caseId = Number(new URL(page.url()).pathname.split("/").at(-1));
    for (let i = 0; i < 3; i++) await page.getByRole("button", { name: "Add step" }).click();
    const texts = [
      ["Open the cart", "The cart lists the items"],
      ["Pay with the test card", "The order is confirmed"],
      ["Enter the card number", "The card is accepted"],
    ];
    for (const [i, [step, expected]] of texts.entries()) {
      await page.getByLabel(`Step ${i + 1}`, { exact: true }).fill(step!);
      await page.getByLabel(`Expected result of step ${i + 1}`).fill(expected!);
    }
    await page.getByRole("button", { name: "Move up step 3" }).click();
    await page.getByLabel("Tags").fill("smoke, payments");
    await page.getByLabel("State").selectOption({ label: "Review" });
    await page.getByRole("button", { name: "Save case" }).click();
    await page.getByText("Saved.").waitFor();
    const saved = await api<{ result: { steps: { step: string }[]; tags: { name: string }[]; state_id: number } }>(
      "GET",
      `/x/cases/${caseId}`,
    );
    expect(saved.result.steps.map((s) => s.step)).toEqual([
      "Open the cart",
      "Enter the card number",
      "Pay with the test card",
    ]);
    expect(saved.result.tags.map((t) => t.name)).toEqual(["payments", "smoke"]);
    await noSeriousA11yProblems(page);
  });

  it("6. uploads an image and sees its preview", { timeout: STEP_MS }, async () => {
    await page.getByLabel("Add files").setInputFiles({ name: "card-form.png", mimeType: "image/png", buffer: PNG });
    await page.getByRole("button", { name: "Upload" }).click();
    const preview = page.getByRole("img", { name: "Preview of card-form.png" });
    await preview.waitFor();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2);
    expect(await page.getByRole("link", { name: "card-form.png" }).getAttribute("href")).toMatch(
      /^\/api\/v1\/attachments\/\d+\/download$/,
    );
    await screenshot(page, "repository-case");
  });

  it("7. searches and filters the case list; the URL keeps them", { timeout: STEP_MS }, async () => {
    const accounts = await folderNamed("Accounts & login");
    await api("POST", `/projects/${projectId}/cases`, {
      cases: [
        { name: "Refund a card payment", tags: ["payments"] },
        { name: "Sign in with a password", folder_id: accounts.id, tags: ["auth"] },
        { name: "Pay by voucher", tags: ["payments"] },
      ],
    });
    await page.goto(`/projects/${projectId}/repository`);
    const rows = () => page.getByRole("table", { name: "Cases" }).getByRole("row");
    const names = async () => (await rows().allTextContents()).slice(1);
    await expect.poll(async () => (await names()).length).toBe(4);
    await page.getByLabel("Search", { exact: true }).fill("pay");
    await page.waitForURL(/q=pay/);
    await expect.poll(async () => (await names()).length).toBe(3);
    await page.getByLabel("Tag", { exact: true }).selectOption({ label: "smoke" });
    await page.waitForURL(/tag=\d+/);
    await expect.poll(names).toEqual([expect.stringContaining("Pay by card")]);
    await page.reload();
    await expect.poll(names).toEqual([expect.stringContaining("Pay by card")]);
    expect(await page.getByLabel("Search", { exact: true }).inputValue()).toBe("pay");
    await screenshot(page, "repository-list");
    await noSeriousA11yProblems(page);
  });

  it("8. bulk-moves and bulk-deletes cases, warned of what goes", { timeout: STEP_MS }, async () => {
    await page.goto(`/projects/${projectId}/repository`);
    const table = page.getByRole("table", { name: "Cases" });
    // The selection lives in the URL: a click navigates, then the box shows the new state.
    const tick = async (name: string) => {
      const box = table.getByRole("checkbox", { name });
      await box.click();
      await expect.poll(() => box.isChecked()).toBe(true);
    };
    await tick("Select Refund a card payment");
    await tick("Select Pay by voucher");
    expect(new URL(page.url()).searchParams.get("selected")?.split(",")).toHaveLength(2);
    const bulk = page.getByRole("region", { name: "Bulk actions" });
    await bulk.getByLabel("Change", { exact: true }).selectOption("folder");
    await bulk.getByLabel("Move to folder").selectOption({ label: "Checkout / Payments" });
    await bulk.getByRole("button", { name: "Move 2 cases" }).click();
    const payments = await folderNamed("Payments");
    const inPayments = async () =>
      (
        await api<{ result: { name: string }[] }>("GET", `/x/projects/${projectId}/cases?folder_id=${payments.id}`)
      ).result
        .map((c) => c.name)
        .sort();
    await expect.poll(inPayments).toEqual(["Pay by voucher", "Refund a card payment"]);

    await treeItem("Checkout").press("ArrowRight");
    await treeItem("Payments").click();
    await expect.poll(async () => (await table.getByRole("row").count()) - 1).toBe(2);
    await tick("Select all cases on this page");
    await bulk.getByRole("button", { name: "Delete 2 cases" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete 2 cases?" });
    expect(await dialog.textContent()).toMatch(/2 cases with their steps, attachments .* cannot be undone/);
    await noSeriousA11yProblems(page);
    await dialog.getByRole("button", { name: "Delete 2 cases" }).click();
    await expect.poll(inPayments).toEqual([]);
    await page.getByRole("heading", { name: "No cases here" }).waitFor();
  });

  it("9. two people edit the same case: the second is told, shown the difference, and keeps their input", {
    timeout: STEP_MS,
  }, async () => {
    const second = await openPage(browser, server.url);
    others.push(second);
    await signIn(second.page, USERS.tester.email);
    await Promise.all([
      page.goto(`/projects/${projectId}/cases/${caseId}`),
      second.page.goto(`/projects/${projectId}/cases/${caseId}`),
    ]);
    await page.getByLabel("Name", { exact: true }).fill("Pay by credit card");
    await page.getByRole("button", { name: "Save case" }).click();
    await page.getByText("Saved.").waitFor();

    await second.page.getByLabel("Name", { exact: true }).fill("Pay by debit card");
    await second.page.getByLabel("Step 1", { exact: true }).fill("Open the basket");
    await second.page.getByRole("button", { name: "Save case" }).click();
    const notice = second.page.getByRole("alert").filter({ hasText: "saved this case while you were editing it" });
    await notice.waitFor();
    expect(await notice.getByRole("heading").textContent()).toContain(USERS.lead.name);
    const nameRow = notice.getByRole("row").filter({ has: second.page.getByRole("rowheader", { name: "Name" }) });
    expect(await nameRow.getByRole("cell").allTextContents()).toEqual(["Pay by credit card", "Pay by debit card"]);
    expect(await second.page.getByLabel("Name", { exact: true }).inputValue()).toBe("Pay by debit card");
    expect(await second.page.getByLabel("Step 1", { exact: true }).inputValue()).toBe("Open the basket");
    expect((await api<{ result: { name: string } }>("GET", `/x/cases/${caseId}`)).result.name).toBe(
      "Pay by credit card",
    );
    await noSeriousA11yProblems(second.page);
    await screenshot(second.page, "repository-conflict");
    // Knowing what they changed, the second person saves theirs over it.
    await second.page.getByRole("button", { name: "Save mine over theirs" }).click();
    await second.page.getByText("Saved.").waitFor();
    expect((await api<{ result: { name: string } }>("GET", `/x/cases/${caseId}`)).result.name).toBe(
      "Pay by debit card",
    );
  });

  it("10. a read-only user sees the repository without write controls; a direct PATCH gets the 403", {
    timeout: STEP_MS,
  }, async () => {
    const reader = await openPage(browser, server.url);
    others.push(reader);
    await signIn(reader.page, USERS.reader.email);
    await reader.page.goto(`/projects/${projectId}/repository`);
    await treeItem("Checkout", reader.page).waitFor();
    await reader.page.getByRole("table", { name: "Cases" }).waitFor();
    for (const name of ["Create case", "Add folder", "Move to…", "Delete folder"]) {
      expect(await reader.page.getByRole("button", { name }).count()).toBe(0);
    }
    expect(await reader.page.getByRole("checkbox").count()).toBe(0);
    expect(await treeItem("Checkout", reader.page).getAttribute("draggable")).toBe("false");
    await noSeriousA11yProblems(reader.page);

    await reader.page.goto(`/projects/${projectId}/cases/${caseId}`);
    await reader.page.getByLabel("Name", { exact: true }).waitFor();
    expect(await reader.page.getByRole("button", { name: "Save case" }).count()).toBe(0);
    expect(await reader.page.getByRole("button", { name: "Upload" }).count()).toBe(0);
    expect(await reader.page.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
    await reader.page.getByRole("img", { name: "Preview of card-form.png" }).waitFor();
    const denied = await reader.page.evaluate(async (id) => {
      const session = await (await fetch("/api/v1/x/auth/session")).json();
      const response = await fetch(`/api/v1/x/cases/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "x-csrf-token": session.result.csrf_token },
        body: JSON.stringify({ updated_at: null, name: "Not allowed" }),
      });
      return { status: response.status, body: await response.json() };
    }, caseId);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/does not allow you to change repository cases/);
    await noSeriousA11yProblems(reader.page);
  });

  it("11. a user without access to the project gets the no-access page by URL", { timeout: STEP_MS }, async () => {
    const outsider = await openPage(browser, server.url);
    others.push(outsider);
    failedPage = outsider.page;
    await signIn(outsider.page, USERS.outsider.email);
    await outsider.page.goto(`/projects/${projectId}/repository`);
    await outsider.page.getByRole("heading", { name: "No access" }).waitFor();
    expect(await outsider.page.getByRole("alert").textContent()).toMatch(/do not have access to project/);
    await outsider.page.goto(`/projects/${projectId}/cases/${caseId}`);
    await outsider.page.getByRole("heading", { name: "No access" }).waitFor();
    expect(await tree(outsider.page).count()).toBe(0);
    await noSeriousA11yProblems(outsider.page);
  });
});
