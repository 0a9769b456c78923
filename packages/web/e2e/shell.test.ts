import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";
import { ADMIN_EMAIL, type AssayServer, startAssay } from "./support/server.js";

/**
 * The shell of the web UI in a real browser against the real server (demo data, SQLite): sign-in and
 * its errors, projects, API tokens, sign-out, deep links, accessibility (axe-core) and both themes.
 */
const PASSWORD = "correct horse battery staple";

describeInBrowser("web UI shell in Chromium", () => {
  let server: AssayServer;
  let browser: Browser;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAssay({ demo: true, adminPassword: PASSWORD }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(options?: Parameters<typeof openPage>[2]) {
    const watched = await openPage(browser, server.url, options);
    opened.push(watched);
    return watched;
  }

  async function signIn(page: Page, password = PASSWORD) {
    await page.getByLabel("E-mail").fill(ADMIN_EMAIL);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  it("signs in with the password set on the command line and lists the Demo project", async () => {
    const { page, problems } = await open();
    await page.goto("/");
    await page.waitForURL("**/sign-in?redirect=*");
    await page.getByRole("heading", { name: "Sign in to Assay" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "sign-in");

    await signIn(page);
    await page.waitForURL((url) => url.pathname === "/projects");
    const demo = page.getByRole("link", { name: "Demo", exact: true });
    await demo.waitFor();
    expect(await page.title()).toBe("Projects · Assay");
    await expectAccessible(page);
    await screenshot(page, "projects");

    // the project's pages have the navigation
    await demo.click();
    await page.getByRole("navigation", { name: "Project", exact: true }).waitFor();
    expect(await page.getByRole("link", { name: "Dashboard" }).getAttribute("aria-current")).toBe("page");
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it("shows the server's message for a wrong password", async () => {
    const { page, problems } = await open();
    await page.goto("/sign-in");
    await signIn(page, "not the password");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toBe("The e-mail or password is wrong.");
    expect(page.url()).toMatch(/\/sign-in$/);
    await expectAccessible(page);
    await screenshot(page, "sign-in-wrong-password");
    expect(problems).toEqual([]);
  });

  it("creates an API token that works against the API", async () => {
    const { page, problems } = await open();
    await page.goto("/settings/tokens");
    await signIn(page);
    await page.waitForURL((url) => url.pathname === "/settings/tokens");
    await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
    await expectAccessible(page);

    await page.getByLabel("Name").fill("e2e pipeline");
    await page.getByRole("button", { name: "Create token" }).click();
    const created = page.getByRole("region", { name: "Token “e2e pipeline” created" });
    await created.waitFor();
    const token = await created.getByLabel("New token").inputValue();
    expect(token).toMatch(/^assay_/);
    // the id of the first project ("First project", made at the first start)
    expect(await created.locator("pre").textContent()).toBe(
      `ASSAY_TOKEN=${token} npx assay automation:run:submit --instance ${server.url} --project-id 1 --name "CI build" --source "<source>" --results "reports/**/*.xml" -- <your test command>`,
    );
    await expectAccessible(page);
    await screenshot(page, "api-token-created");

    const response = await fetch(`${server.url}/api/v1/projects`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { name: string }[] };
    expect(body.result.map((project) => project.name)).toContain("Demo");

    // listed with its name; revoking it (after confirming) makes the API refuse it
    const row = page.getByRole("row", { name: /e2e pipeline/ });
    await row.waitFor();
    await row.getByRole("button", { name: "Revoke e2e pipeline" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke the token “e2e pipeline”?" });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await row.waitFor({ state: "detached" });
    const refused = await fetch(`${server.url}/api/v1/projects`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    expect(problems).toEqual([]);
  });

  it("signs out to the sign-in page, and the session is gone", async () => {
    const { page, problems } = await open();
    await page.goto("/projects");
    await signIn(page);
    await page.waitForURL((url) => url.pathname === "/projects");
    await page.getByRole("button", { name: /^Account:/ }).click();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.getByRole("heading", { name: "Sign in to Assay" }).waitFor();
    // a reload or a direct visit needs a new sign-in
    await page.goto("/projects");
    await page.waitForURL("**/sign-in?redirect=%2Fprojects");
    expect(problems).toEqual([]);
  });

  it("returns to a deep link opened while signed out, after sign-in", async () => {
    const { page, problems } = await open();
    const demoId = await demoProjectId();
    await page.goto(`/projects/${demoId}/flaky?sort=name`);
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe(`/projects/${demoId}/flaky?sort=name`);
    await signIn(page);
    await page.waitForURL((url) => url.pathname === `/projects/${demoId}/flaky`);
    expect(new URL(page.url()).search).toBe("?sort=name");
    await page.getByRole("heading", { name: "Flaky tests", level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  it("sends a user whose session ended to sign in, then back to where they were going", async () => {
    const { page, problems } = await open();
    await page.goto("/projects");
    await signIn(page);
    await page.getByRole("link", { name: "Demo", exact: true }).waitFor();
    // setting the password again on the server ends every web session of the user
    await server.command(["user", "password", "--email", ADMIN_EMAIL, "--password-stdin"], `${PASSWORD}\n`);
    await page.getByRole("button", { name: /^Account:/ }).click();
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/settings/tokens");
    await signIn(page);
    await page.waitForURL((url) => url.pathname === "/settings/tokens");
    await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  it("sets a password through a one-time link, which then cannot be used again", async () => {
    const path = (await server.command(["user", "password", "--email", ADMIN_EMAIL])).trim();
    expect(path).toMatch(/^\/set-password\/\S+$/);
    const { page, problems } = await open();
    await page.goto(path);
    await page.getByRole("heading", { name: "Set a new password" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "set-password");
    await page.getByLabel("New password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Repeat the password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/projects");
    await page.goto(path);
    await page.getByRole("heading", { name: "This link cannot be used" }).waitFor();
    expect(problems).toEqual([]);
  });

  it("follows the dark system theme, accessibly, down to tablet width", async () => {
    const { page, problems } = await open({ colorScheme: "dark" });
    await page.goto("/sign-in");
    await expectAccessible(page);
    await screenshot(page, "sign-in-dark");
    await signIn(page);
    await page.waitForURL((url) => url.pathname === "/projects");
    await page.getByRole("link", { name: "Demo", exact: true }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(14, 17, 22)");
    await expectAccessible(page);
    await screenshot(page, "projects-dark");

    await page.goto("/settings/tokens");
    await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "api-tokens-dark");

    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`/projects/${await demoProjectId()}/runs`);
    await page.getByRole("navigation", { name: "Project", exact: true }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await expectAccessible(page);
    await screenshot(page, "project-tablet-dark");
    expect(problems).toEqual([]);
  });

  it("keeps the menus keyboard-reachable", async () => {
    const { page } = await open();
    await page.goto("/projects");
    await signIn(page);
    await page.waitForURL((url) => url.pathname === "/projects");
    await page.getByRole("link", { name: "Demo", exact: true }).waitFor();
    // Tab from the top: skip link, brand, project switcher, account menu
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    const account = page.getByRole("button", { name: /^Account:/ });
    await account.focus();
    await page.keyboard.press("Enter");
    expect(await account.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("API tokens");
    await page.keyboard.press("Escape");
    expect(await account.getAttribute("aria-expanded")).toBe("false");
    expect(await account.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === "/settings/tokens");
  });

  async function demoProjectId(): Promise<number> {
    const response = await fetch(`${server.url}/api/v1/projects`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const body = (await response.json()) as { result: { id: number; name: string }[] };
    return body.result.find((project) => project.name === "Demo")!.id;
  }
});
