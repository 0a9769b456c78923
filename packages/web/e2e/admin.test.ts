import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seriousA11yViolations } from "./support/axe.js";
import { describeInBrowser, launchBrowser, openPage, type WatchedPage } from "./support/browser.js";
import { screenshot } from "./support/screenshots.js";
import { ADMIN_EMAIL, type AssayServer, startAssay } from "./support/server.js";

/**
 * Administration in a real browser against the real server (SQLite): an administrator manages users,
 * groups, access, projects, retention and tokens without a shell, and what they change takes effect for
 * the people concerned (sign-in, project access, API tokens). Non-administrators get the 403 page.
 */
const PASSWORD = "correct horse battery staple";
const INVITEE_PASSWORD = "a new user's long password";

describeInBrowser("administration in Chromium", () => {
  let server: AssayServer;
  let browser: Browser;
  let admin: WatchedPage;
  const opened: WatchedPage[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startAssay({ adminPassword: PASSWORD }), launchBrowser()]);
    admin = await open();
    await admin.page.goto("/admin");
    await signIn(admin.page, ADMIN_EMAIL, PASSWORD);
    await admin.page.waitForURL((url) => url.pathname === "/admin/users");
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open() {
    const watched = await openPage(browser, server.url);
    opened.push(watched);
    return watched;
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  /** The administrator's API. */
  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function statusWithToken(token: string) {
    return (await fetch(`${server.url}/api/v1/user`, { headers: { authorization: `Bearer ${token}` } })).status;
  }

  /** Invites through the Users page; returns the link shown once. */
  async function inviteInUi(email: string, name: string) {
    const { page } = admin;
    await page.goto("/admin/users");
    const form = page.getByRole("form", { name: "Invite a user" });
    await form.getByLabel("E-mail").fill(email);
    await form.getByLabel("Name").fill(name);
    await form.getByRole("button", { name: "Create invite link" }).click();
    const panel = page.getByRole("region", { name: `Invite link for ${email}` });
    await panel.waitFor();
    return panel.getByLabel("Invite link").inputValue();
  }

  /** A person opens their link in their own browser, sets a password and is signed in. */
  async function acceptInvite(link: string, name: string) {
    const person = await open();
    await person.page.goto(link);
    await person.page.getByRole("heading", { name: `Welcome to Assay, ${name}` }).waitFor();
    await person.page.getByLabel("New password").fill(INVITEE_PASSWORD);
    await person.page.getByLabel("Repeat the password").fill(INVITEE_PASSWORD);
    await person.page.getByRole("button", { name: "Set password and sign in" }).click();
    await person.page.waitForURL((url) => url.pathname === "/projects");
    return person;
  }

  async function userId(email: string): Promise<number> {
    const users = (await api("GET", "/users?per_page=100")).body.result as { id: number; email: string }[];
    return users.find((user) => user.email === email)!.id;
  }

  it("invites a user (the link is shown once), who sets a password through it and is signed in", async () => {
    const { page, problems } = admin;
    await expectAccessible(page);
    await page.getByRole("link", { name: "Administration" }).waitFor();
    const link = await inviteInUi("grace@example.com", "Grace Hopper");
    expect(link).toMatch(new RegExp(`^${server.url}/invite/`));
    await expectAccessible(page);
    await screenshot(page, "admin-users-invite");

    const grace = await acceptInvite(link, "Grace Hopper");
    await grace.page.getByRole("button", { name: /Grace Hopper/ }).waitFor();
    expect(grace.problems).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("changes a role, then deactivates: the user's next page load goes to sign-in, their token gets 401", async () => {
    const { page, problems } = admin;
    const link = await inviteInUi("lin@example.com", "Lin Leaver");
    const lin = await acceptInvite(link, "Lin Leaver");
    // Lin makes an API token for a script of theirs
    await lin.page.goto("/settings/tokens");
    await lin.page.getByLabel("Name").fill("laptop");
    await lin.page.getByRole("button", { name: "Create token" }).click();
    const token = await lin.page.getByLabel("New token").inputValue();
    expect(await statusWithToken(token)).toBe(200);

    await page.goto("/admin/users?q=lin");
    const id = await userId("lin@example.com");
    await page.getByLabel("Role of Lin Leaver").selectOption("project-manager");
    await expect.poll(async () => (await api("GET", `/users/${id}`)).body.result.role_id).toBe(2);

    await page.getByRole("button", { name: "Deactivate Lin Leaver" }).click();
    const dialog = page.getByRole("dialog", { name: "Deactivate Lin Leaver?" });
    await dialog.waitFor();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await page.getByRole("button", { name: "Reactivate Lin Leaver" }).waitFor();
    await screenshot(page, "admin-users");

    await lin.page.reload();
    await lin.page.waitForURL("**/sign-in?redirect=*");
    expect(await statusWithToken(token)).toBe(401);
    expect(problems).toEqual([]);
  });

  it("refuses to demote the last administrator and says why next to the role", async () => {
    const { page, problems } = admin;
    await page.goto("/admin/users?q=admin%40localhost");
    await page.getByLabel("Role of Administrator").selectOption("tester");
    await page.getByRole("alert").filter({ hasText: "last active administrator" }).waitFor();
    expect((await api("GET", "/users/1")).body.result.role_id).toBe(1);
    expect(problems).toEqual([]);
  });

  it("creates a group, adds and removes members", async () => {
    const { page, problems } = admin;
    await page.goto("/admin/groups");
    await page.getByLabel("Group name").fill("QA");
    await page.getByRole("button", { name: "Create group" }).click();
    const members = page.getByRole("region", { name: "Members of QA" });
    await members.waitFor();
    const add = async (name: string) => {
      await members.getByLabel("Add a member", { exact: true }).selectOption({ label: name });
      await members.getByRole("button", { name: "Add to group" }).click();
      await members.getByRole("button", { name: `Remove ${name.split(" (")[0]}` }).waitFor();
    };
    await add("Grace Hopper (grace@example.com)");
    await add(`Administrator (${ADMIN_EMAIL})`);
    await expectAccessible(page);
    await screenshot(page, "admin-groups");
    await members.getByRole("button", { name: "Remove Administrator" }).click();
    await members.getByRole("button", { name: "Remove Administrator" }).waitFor({ state: "detached" });
    const groupId = Number(new URL(page.url()).searchParams.get("group"));
    expect((await api("GET", `/groups/${groupId}`)).body.result.members).toEqual([await userId("grace@example.com")]);
    expect(problems).toEqual([]);
  });

  it("gives a group access to a project with a role, and removes a user's access: they cannot open it", async () => {
    const { page, problems } = admin;
    const link = await inviteInUi("omar@example.com", "Omar Outsider");
    const omar = await acceptInvite(link, "Omar Outsider");
    await omar.page.goto("/projects/1");
    await omar.page.getByRole("navigation", { name: "Project", exact: true }).waitFor();

    await page.goto("/admin/access?project=1");
    const form = page.getByRole("form", { name: "Give a user or group access" });
    await form.getByLabel("User or group").selectOption({ label: "QA" });
    await form.getByLabel("Access").selectOption("read-only");
    await form.getByRole("button", { name: "Save access" }).click();
    await page.getByLabel("Access of QA").waitFor();
    await form.getByLabel("User or group").selectOption({ label: "Omar Outsider (omar@example.com)" });
    await form.getByLabel("Access").selectOption("none");
    await form.getByRole("button", { name: "Save access" }).click();
    await page.getByLabel("Access of Omar Outsider").waitFor();
    expect(await page.getByLabel("Access of Omar Outsider").inputValue()).toBe("none");
    await expectAccessible(page);
    await screenshot(page, "admin-access");
    const access = (await api("GET", "/x/projects/1/access")).body.result;
    expect(access.groups).toEqual([{ group_id: expect.any(Number), name: "QA", role: "read-only" }]);

    await omar.page.goto("/projects/1");
    await omar.page.getByRole("heading", { name: "No access" }).first().waitFor();
    expect(problems).toEqual([]);
  });

  it("creates, renames and archives a project", async () => {
    const { page, problems } = admin;
    await page.goto("/admin/projects");
    await page.getByLabel("Project name").fill("Mobile app");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("status").filter({ hasText: "Project “Mobile app” created." }).waitFor();
    await page.getByRole("button", { name: "Rename Mobile app" }).click();
    await page.getByLabel("New name").fill("Mobile");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("button", { name: "Archive Mobile" }).click();
    await page.getByRole("button", { name: "Archive Mobile" }).waitFor({ state: "detached" });
    await page.getByRole("radio", { name: "Archived" }).check();
    await page.getByRole("button", { name: "Reopen Mobile" }).waitFor();
    expect(new URL(page.url()).search).toBe("?show=archived");
    await expectAccessible(page);
    await screenshot(page, "admin-projects");
    const projects = (await api("GET", "/projects?is_completed=1")).body.result as { name: string }[];
    expect(projects.map((project) => project.name)).toEqual(["Mobile"]);
    expect(problems).toEqual([]);
  });

  it("sets a retention policy for a project", async () => {
    const { page, problems } = admin;
    await page.goto("/admin/retention?project=1");
    await page.getByLabel("Keep days").first().fill("30");
    await page.getByRole("button", { name: "Save policies" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await expectAccessible(page);
    await screenshot(page, "admin-retention");
    expect((await api("GET", "/x/projects/1/retention")).body.result).toEqual([
      { source_id: null, keep_days: 30, keep_runs: null },
    ]);
    expect(problems).toEqual([]);
  });

  it("revokes another user's API token, which then gets 401", async () => {
    const { page, problems } = admin;
    const bot = await api("POST", "/x/users", {
      email: "bot@example.com",
      name: "CI bot",
      is_api: true,
      token_name: "GitHub",
    });
    expect(await statusWithToken(bot.body.token)).toBe(200);
    await page.goto(`/admin/tokens?user=${bot.body.id}`);
    const row = page.getByRole("row", { name: /GitHub/ });
    await row.getByRole("button", { name: "Revoke GitHub of CI bot" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await row.waitFor({ state: "detached" });
    expect(await statusWithToken(bot.body.token)).toBe(401);
    await expectAccessible(page);
    await page.goto("/admin/roles");
    await page.getByRole("table", { name: "Roles" }).waitFor();
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  it("adds a GitHub issue tracker with a repository, which testers can then link issues in", async () => {
    const { page, problems } = admin;
    await page.goto("/admin");
    await page
      .getByRole("navigation", { name: "Administration" })
      .getByRole("link", { name: "Issue trackers" })
      .click();
    await page.getByRole("heading", { name: "No issue tracker yet" }).waitFor();
    const form = page.getByRole("form", { name: "Add an issue tracker" });
    await form.getByLabel("Type").selectOption({ label: "GitHub" });
    await form.getByLabel(/^Name/).fill("Acme GitHub");
    await form.getByLabel(/^Organisation or user/).fill("acme");
    await form.getByLabel(/^Repositories/).fill("web\nWeb");
    await form.getByRole("button", { name: "Add tracker" }).click();
    await form.getByText('The project "Web" is already in this connection.').waitFor();
    await form.getByLabel(/^Repositories/).fill("web");
    await form.getByRole("button", { name: "Add tracker" }).click();
    const table = page.getByRole("table", { name: "Issue trackers" });
    await table
      .getByRole("row", { name: /Acme GitHub/ })
      .getByText("acme: web")
      .waitFor();
    await expectAccessible(page);
    await screenshot(page, "admin-issue-trackers");
    const rows = (await api("GET", "/issues/connections")).body.result;
    expect(rows).toEqual([
      expect.objectContaining({
        integration_type: 2,
        integration_name: "Acme GitHub",
        connection_name: "acme",
        connection_project_name: "web",
        is_active: true,
      }),
    ]);
    // the new tracker works for linking: a case gets issue #7 in acme/web
    const linked = await api("POST", "/projects/1/cases", {
      cases: [
        {
          name: "Checkout links an issue",
          issues: [
            {
              integration_id: rows[0].integration_id,
              connection_project_id: rows[0].connection_project_id,
              display_id: "7",
            },
          ],
        },
      ],
    });
    expect(linked.status).toBe(201);
    expect(problems).toEqual([]);
  });

  it("shows a non-administrator the 403 page, and no Administration link", async () => {
    const grace = await open();
    await grace.page.goto("/admin/users");
    await signIn(grace.page, "grace@example.com", INVITEE_PASSWORD);
    await grace.page.getByRole("heading", { name: "The admin permission is needed" }).waitFor();
    expect(await grace.page.getByRole("link", { name: "Administration" }).count()).toBe(0);
    await expectAccessible(grace.page);
    await screenshot(grace.page, "admin-forbidden");
    expect(grace.problems).toEqual([]);
  });
});
