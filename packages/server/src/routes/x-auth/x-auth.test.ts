// biome-ignore-all lint/suspicious/noExplicitAny: e2e tests read response bodies field by field
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorCollection } from "@assay/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../lib/tokens.js";
import { openStorage, type Storage } from "../../storage/db.js";
import { BACKENDS, type Backend, createPostgresDatabase } from "../../test-support/backends.js";
import { ApiClient, readResponse } from "../../test-support/http.js";
import { runServerCommand, startServerProcess, type TestServer } from "../../test-support/server-process.js";

const MAIN = fileURLToPath(new URL("../../../dist/main.js", import.meta.url));
const PASSWORD = "correct horse battery staple";
const WRONG = "The e-mail or password is wrong.";

interface WebResponse {
  status: number;
  headers: Headers;
  body: any;
  cookies: string[];
}

/**
 * A browser, as far as the server can tell: it keeps the `assay_session`
 * cookie and the csrf_token it was given, and sends `Origin` on writes.
 */
class Browser {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(
    readonly baseUrl: string,
    readonly origin = baseUrl,
  ) {}

  async request(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; csrf?: boolean; origin?: boolean } = {},
  ): Promise<WebResponse> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.cookie) headers.cookie = `assay_session=${this.cookie}`;
    if (method !== "GET" && options.csrf !== false && this.csrf) headers["x-csrf-token"] = this.csrf;
    if (method !== "GET" && options.origin !== false) headers.origin = this.origin;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    Object.assign(headers, options.headers);
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, { method, headers, body });
    const cookies = response.headers.getSetCookie();
    for (const cookie of cookies) {
      const match = /^assay_session=([^;]*)/.exec(cookie);
      if (match) this.cookie = match[1] || null;
    }
    const text = await response.text();
    const parsed = text && (response.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
    if (parsed?.result?.csrf_token) this.csrf = parsed.result.csrf_token;
    return { status: response.status, headers: response.headers, body: parsed, cookies };
  }

  get(path: string, options = {}) {
    return this.request("GET", path, options);
  }

  post(path: string, body?: unknown, options = {}) {
    return this.request("POST", path, { ...options, body });
  }

  signIn(email: string, password = PASSWORD) {
    return this.post("/x/auth/sign-in", { email, password });
  }
}

/** The token at the end of an invite or reset URL. */
const tokenOf = (url: string) => url.split("/").at(-1)!;

describe.each(BACKENDS)("web sign-in on %s", (backend) => {
  let server: TestServer;
  let admin: ApiClient;
  let storage: Storage;
  let counter = 0;

  /** A new user with a password, made the way the web UI does it: invite, then the link. */
  async function newUser(role = "tester", password = PASSWORD) {
    const email = `user${++counter}@example.com`;
    const invite = await admin.post("/x/invites", { email, name: `User ${counter}`, role });
    expect(invite.status).toBe(201);
    const browser = new Browser(server.url);
    const set = await browser.post("/x/auth/password", { token: tokenOf(invite.body.result.url), password });
    expect(set.status).toBe(200);
    return { email, id: invite.body.result.user_id as number, browser };
  }

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    admin = new ApiClient(server.url, server.token);
    storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  describe("sign-in and the session cookie", () => {
    it("sets an HttpOnly, SameSite=Lax session cookie and answers the user and a CSRF token", async () => {
      const { email, id } = await newUser("read-only");
      const browser = new Browser(server.url);
      const res = await browser.signIn(email);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        result: {
          user: { id, name: expect.any(String), email, role: "read-only", is_admin: false },
          csrf_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        },
      });
      expect(res.cookies).toHaveLength(1);
      const cookie = res.cookies[0]!;
      expect(cookie).toMatch(/^assay_session=[A-Za-z0-9_-]{43}; /);
      const attributes = cookie.split("; ").slice(1);
      expect(attributes).toEqual(["Path=/", "HttpOnly", "SameSite=Lax", expect.stringMatching(/^Max-Age=\d+$/)]);
      // No Secure without TLS: the browser would not send it back over http.
      expect(cookie).not.toContain("Secure");
      // 30 days (ASSAY_SESSION_MAX_DAYS) at most.
      expect(Number(/Max-Age=(\d+)/.exec(cookie)![1])).toBeLessThanOrEqual(30 * 86_400);
      // Only the digest of the secret is stored.
      const stored = await storage.db.selectFrom("web_sessions").select("id").where("user_id", "=", id).execute();
      expect(stored.map((s) => s.id)).toContain(hashToken(browser.cookie!));
      expect(stored.map((s) => s.id)).not.toContain(browser.cookie);
    });

    it("answers 401 with the same text for a wrong password and an unknown e-mail, and sets no cookie", async () => {
      const { email } = await newUser();
      const browser = new Browser(server.url);
      const wrong = await browser.signIn(email, "not the password at all");
      const unknown = await browser.signIn("nobody@example.com", PASSWORD);
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ message: WRONG });
        expect(res.cookies).toEqual([]);
      }
      expect(browser.cookie).toBeNull();
      // E-mail addresses match in any case.
      expect((await browser.signIn(email.toUpperCase())).status).toBe(200);
    });

    it("validates the body: a missing password is a 422", async () => {
      const res = await new Browser(server.url).post("/x/auth/sign-in", { email: "x@example.com" });
      expect(res.status).toBe(422);
      expect(res.body.errors.password[0]).toContain("required");
    });

    it("refuses a sign-in posted from another site's page (login CSRF)", async () => {
      const { email } = await newUser();
      const browser = new Browser(server.url, "https://evil.example");
      const res = await browser.signIn(email);
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('the Origin "https://evil.example" is not this server\'s');
      expect(browser.cookie).toBeNull();
    });

    it("GET /x/auth/session answers the session, or 401 without one", async () => {
      const { email, id } = await newUser();
      const browser = new Browser(server.url);
      const none = await browser.get("/x/auth/session");
      expect(none.status).toBe(401);
      expect(none.body.message).toContain("Not signed in");
      const signedIn = await browser.signIn(email);
      const session = await browser.get("/x/auth/session");
      expect(session.status).toBe(200);
      expect(session.body.result.user).toMatchObject({ id, email, role: "tester", is_admin: false });
      expect(session.body.result.csrf_token).toBe(signedIn.body.result.csrf_token);
      // A bearer token is no web session.
      expect((await admin.get("/x/auth/session")).status).toBe(401);
    });

    it("authenticates every /api/v1 endpoint by cookie: GETs need nothing else", async () => {
      const { email, id } = await newUser();
      const browser = new Browser(server.url);
      await browser.signIn(email);
      const projects = await browser.get("/projects");
      expect(projects.status).toBe(200);
      expect(projects.body.result.map((p: any) => p.id)).toContain(1);
      expect((await browser.get("/user")).body).toMatchObject({ id, name: expect.any(String) });
      // Per-user rate-limit budget, with the usual headers.
      expect(projects.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);
    });

    it("a cookie write needs X-CSRF-Token and this server's Origin: 403 saying which is missing or wrong", async () => {
      const { email } = await newUser();
      const browser = new Browser(server.url);
      await browser.signIn(email);
      const run = { name: "from the browser", source: "web" };

      const noCsrf = await browser.post("/projects/1/automation/runs", run, { csrf: false });
      expect(noCsrf.status).toBe(403);
      expect(noCsrf.body.message).toContain("the X-CSRF-Token header is missing");
      expect(noCsrf.body.message).not.toContain("Origin header is missing");

      const wrongCsrf = await browser.post("/projects/1/automation/runs", run, {
        headers: { "x-csrf-token": "forged" },
      });
      expect(wrongCsrf.status).toBe(403);
      expect(wrongCsrf.body.message).toContain("does not match this session's token");

      const noOrigin = await browser.post("/projects/1/automation/runs", run, { origin: false });
      expect(noOrigin.status).toBe(403);
      expect(noOrigin.body.message).toContain(`the Origin header is missing (expected ${server.url})`);

      const evil = await browser.post("/projects/1/automation/runs", run, {
        headers: { origin: "https://evil.example" },
      });
      expect(evil.status).toBe(403);
      expect(evil.body.message).toContain('the Origin "https://evil.example" is not this server\'s');

      const neither = await browser.post("/projects/1/automation/runs", run, { csrf: false, origin: false });
      expect(neither.body.message).toContain("X-CSRF-Token header is missing; the Origin header is missing");

      const runs = async () => (await admin.get("/projects/1/automation/runs")).body.total as number;
      const before = await runs();
      const ok = await browser.post("/projects/1/automation/runs", run);
      expect(ok.status).toBe(201);
      expect(await runs()).toBe(before + 1);
    });

    it("bearer requests stay as they were: a cookie is ignored when a token is sent", async () => {
      const { email } = await newUser();
      const browser = new Browser(server.url);
      await browser.signIn(email);
      // With a token, no CSRF is asked for (API clients send none), even when a cookie comes along.
      const res = await admin.post(
        "/projects/1/automation/runs",
        { name: "bearer", source: "ci" },
        { headers: { cookie: `assay_session=${browser.cookie}` } },
      );
      expect(res.status).toBe(201);
      const missing = await admin.get("/projects", { token: null });
      expect(missing.body.message).toBe(
        "Authentication required: send your API token as 'Authorization: Bearer <token>'.",
      );
    });

    it("sign-out ends the session and clears the cookie", async () => {
      const { email } = await newUser();
      const browser = new Browser(server.url);
      await browser.signIn(email);
      const secret = browser.cookie!;
      const withoutCsrf = await browser.post("/x/auth/sign-out", undefined, { csrf: false });
      expect(withoutCsrf.status).toBe(403);
      const out = await browser.post("/x/auth/sign-out");
      expect(out.status).toBe(204);
      expect(out.cookies).toEqual(["assay_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"]);
      expect(browser.cookie).toBeNull();
      // The old cookie, replayed, names nothing any more.
      const replay = await fetch(`${server.url}/api/v1/projects`, { headers: { cookie: `assay_session=${secret}` } });
      expect(replay.status).toBe(401);
      expect((await readResponse<ErrorCollection>(replay)).body.message).toContain("session has ended");
      // Signing out without a session is harmless.
      expect((await new Browser(server.url).post("/x/auth/sign-out")).status).toBe(204);
    });

    it("sign-out-everywhere ends every session of the user, and only theirs", async () => {
      const { email } = await newUser();
      const laptop = new Browser(server.url);
      const phone = new Browser(server.url);
      await laptop.signIn(email);
      await phone.signIn(email);
      const other = await newUser();
      expect((await phone.get("/projects")).status).toBe(200);
      const res = await laptop.post("/x/auth/sign-out-everywhere");
      expect(res.status).toBe(204);
      expect((await laptop.get("/projects")).status).toBe(401);
      expect((await phone.get("/projects")).status).toBe(401);
      expect((await phone.get("/x/auth/session")).status).toBe(401);
      expect((await other.browser.get("/projects")).status).toBe(200);
      // Without any session or token: 401.
      expect((await new Browser(server.url).post("/x/auth/sign-out-everywhere")).status).toBe(401);
    });

    it("a session ends after ASSAY_SESSION_IDLE_HOURS without requests and at its absolute end", async () => {
      const { email, id } = await newUser();
      const idle = new Browser(server.url);
      const old = new Browser(server.url);
      await idle.signIn(email);
      await old.signIn(email);
      expect((await idle.get("/projects")).status).toBe(200);
      // 169 hours since the last request: one more than the default 168.
      const lastSeen = new Date(Date.now() - 169 * 3_600_000).toISOString();
      await storage.db
        .updateTable("web_sessions")
        .set({ last_seen_at: lastSeen })
        .where("id", "=", hashToken(idle.cookie!))
        .execute();
      // 167 hours is still inside the idle limit; the absolute end is what stops this one.
      await storage.db
        .updateTable("web_sessions")
        .set({
          last_seen_at: new Date(Date.now() - 167 * 3_600_000).toISOString(),
          expires_at: new Date(Date.now() - 1000).toISOString(),
        })
        .where("id", "=", hashToken(old.cookie!))
        .execute();
      expect((await idle.get("/projects")).status).toBe(401);
      expect((await old.get("/x/auth/session")).status).toBe(401);
      // Ended sessions are deleted when met.
      const left = await storage.db.selectFrom("web_sessions").select("id").where("user_id", "=", id).execute();
      expect(left.map((s) => s.id)).not.toContain(hashToken(idle.cookie!));
    });

    it("a deactivated user cannot sign in and their sessions stop working", async () => {
      const { email, id, browser } = await newUser();
      expect((await browser.get("/projects")).status).toBe(200);
      await storage.db.updateTable("users").set({ is_active: 0 }).where("id", "=", id).execute();
      expect((await browser.get("/projects")).status).toBe(401);
      const again = await new Browser(server.url).signIn(email);
      expect(again.status).toBe(401);
      expect(again.body.message).toBe(WRONG);
      await storage.db.updateTable("users").set({ is_active: 1 }).where("id", "=", id).execute();
    });
  });

  describe("invites and one-time links", () => {
    it("admin invites → link shows whom it is for → password set → signed in; the link works once (then 410)", async () => {
      const invite = await admin.post("/x/invites", { email: "new.person@example.com", name: "New Person" });
      expect(invite.status).toBe(201);
      const { user_id, url, expires_at, purpose } = invite.body.result;
      expect(purpose).toBe("invite");
      expect(url).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{43}$`));
      const days = (Date.parse(expires_at) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThanOrEqual(7);
      // The user exists at once, with the default role, and no password yet.
      expect((await admin.get(`/users/${user_id}`)).body.result).toMatchObject({ role_id: 3, created_by: 1 });
      const browser = new Browser(server.url);
      expect((await browser.signIn("new.person@example.com")).status).toBe(401);

      const token = tokenOf(url);
      const link = await browser.get(`/x/auth/links/${token}`);
      expect(link.status).toBe(200);
      expect(link.body).toEqual({
        result: { email: "new.person@example.com", name: "New Person", purpose: "invite", expires_at },
      });
      const short = await browser.post("/x/auth/password", { token, password: "too short" });
      expect(short.status).toBe(422);
      expect(short.body.errors.password[0]).toBe("The password must be 12 to 1024 characters long. This one has 9.");
      const set = await browser.post("/x/auth/password", { token, password: PASSWORD });
      expect(set.status).toBe(200);
      expect(set.body.result.user).toMatchObject({ id: user_id, email: "new.person@example.com", role: "tester" });
      expect(set.cookies[0]).toMatch(/^assay_session=.+; Path=\/; HttpOnly; SameSite=Lax/);
      expect((await browser.get("/projects")).status).toBe(200);

      const reuse = await browser.post("/x/auth/password", { token, password: "another long password" });
      expect(reuse.status).toBe(410);
      expect(reuse.body.message).toContain("already used");
      expect((await browser.get(`/x/auth/links/${token}`)).status).toBe(410);
      expect((await new Browser(server.url).signIn("new.person@example.com")).status).toBe(200);
      expect((await browser.get("/x/auth/links/no-such-link")).status).toBe(404);
    });

    it("inviting an existing user with a password gives a reset link; name and role stay", async () => {
      const { email, id, browser } = await newUser("read-only");
      const invite = await admin.post("/x/invites", { email, name: "Renamed", role: "administrator" });
      expect(invite.status).toBe(201);
      expect(invite.body.result).toMatchObject({ user_id: id, purpose: "password" });
      expect(invite.body.result.url).toMatch(new RegExp(`^${server.url}/set-password/`));
      const token = tokenOf(invite.body.result.url);
      expect((await browser.get(`/x/auth/links/${token}`)).body.result).toMatchObject({ email, purpose: "password" });
      const reset = await new Browser(server.url).post("/x/auth/password", { token, password: "a brand new password" });
      expect(reset.status).toBe(200);
      expect(reset.body.result.user).toMatchObject({ id, role: "read-only", name: expect.stringMatching(/^User/) });
      // A new password ends the sessions made with the old one; the old password no longer works.
      expect((await browser.get("/projects")).status).toBe(401);
      expect((await new Browser(server.url).signIn(email)).status).toBe(401);
      expect((await new Browser(server.url).signIn(email, "a brand new password")).status).toBe(200);
    });

    it("a newer link replaces an unused older one (404); an expired link is a 410", async () => {
      const first = await admin.post("/x/invites", { email: "twice@example.com", name: "Twice" });
      const second = await admin.post("/x/invites", { email: "twice@example.com", name: "Twice" });
      expect(second.body.result).toMatchObject({ user_id: first.body.result.user_id, purpose: "invite" });
      const browser = new Browser(server.url);
      expect((await browser.get(`/x/auth/links/${tokenOf(first.body.result.url)}`)).status).toBe(404);
      const token = tokenOf(second.body.result.url);
      expect((await browser.get(`/x/auth/links/${token}`)).status).toBe(200);
      await storage.db
        .updateTable("one_time_links")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("token_hash", "=", hashToken(token))
        .execute();
      const expired = await browser.get(`/x/auth/links/${token}`);
      expect(expired.status).toBe(410);
      expect(expired.body.message).toContain("expired");
      expect((await browser.post("/x/auth/password", { token, password: PASSWORD })).status).toBe(410);
    });

    it("invites are for administrators; bad e-mails and roles are 422", async () => {
      const { browser } = await newUser("project-manager");
      const denied = await browser.post("/x/invites", { email: "x@example.com", name: "X" });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain("Only administrators may invite users");
      expect((await admin.post("/x/invites", { email: "not-an-email", name: "X" })).status).toBe(422);
      expect((await admin.post("/x/invites", { email: "y@example.com", name: "Y", role: "boss" })).status).toBe(422);
      expect((await admin.post("/x/invites", { email: "y@example.com" })).status).toBe(422);
    });

    it("an administrator signed in by cookie invites with CSRF token and Origin; the URL uses the request's origin", async () => {
      const { browser } = await newUser("administrator");
      const res = await browser.post("/x/invites", { email: "by.cookie@example.com", name: "By Cookie" });
      expect(res.status).toBe(201);
      expect(res.body.result.url.startsWith(`${server.url}/invite/`)).toBe(true);
      expect((await browser.post("/x/invites", { email: "z@example.com", name: "Z" }, { csrf: false })).status).toBe(
        403,
      );
    });
  });

  describe("own API tokens", () => {
    it("create (shown once), list, revoke; the revoked token then gets 401", async () => {
      const { browser, id } = await newUser();
      const created = await browser.post("/x/me/tokens", { name: "CI pipeline" });
      expect(created.status).toBe(201);
      const { token, ...rest } = created.body.result;
      expect(token).toMatch(/^assay_/);
      expect(rest).toEqual({ id: expect.any(Number), name: "CI pipeline", created_at: expect.any(String) });
      const api = new ApiClient(server.url, token);
      expect((await api.get("/user")).body.id).toBe(id);

      const list = await browser.get("/x/me/tokens");
      expect(list.status).toBe(200);
      const item = list.body.result.find((t: any) => t.id === rest.id);
      expect(item).toEqual({ ...rest, last_used_at: expect.any(String) });
      expect(JSON.stringify(list.body)).not.toContain(token);

      const revoked = await browser.request("DELETE", `/x/me/tokens/${rest.id}`);
      expect(revoked.status).toBe(204);
      const after = await api.get("/user");
      expect(after.status).toBe(401);
      expect(after.body.message).toContain("unknown or revoked");
      expect((await browser.get("/x/me/tokens")).body.result.map((t: any) => t.id)).not.toContain(rest.id);
      // Again: nothing changes, no error.
      expect((await browser.request("DELETE", `/x/me/tokens/${rest.id}`)).status).toBe(204);
    });

    it("another user's token is a 404 and stays valid; a bearer token manages its owner's tokens too", async () => {
      const mine = await newUser();
      const theirs = await newUser();
      const token = (await theirs.browser.post("/x/me/tokens", { name: "theirs" })).body.result;
      const res = await mine.browser.request("DELETE", `/x/me/tokens/${token.id}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe(`You have no API token with the id ${token.id}.`);
      expect((await mine.browser.get("/x/me/tokens")).body.result).toEqual([]);
      const api = new ApiClient(server.url, token.token);
      expect((await api.get("/user")).status).toBe(200);
      expect((await api.get("/x/me/tokens")).body.result.map((t: any) => t.name)).toEqual(["theirs"]);
      expect((await api.post("/x/me/tokens", { name: "" })).status).toBe(422);
      expect((await mine.browser.post("/x/me/tokens", { name: "x" }, { csrf: false })).status).toBe(403);
    });
  });

  describe("failed sign-ins are rate limited per e-mail", () => {
    it("10 wrong passwords, then 429 with Retry-After, also for the right password, escalating", async () => {
      const { email } = await newUser();
      const browser = new Browser(server.url);
      for (let i = 1; i <= 10; i++) {
        const res = await browser.signIn(email, `wrong password ${i}`);
        expect(res.status).toBe(401);
        expect(res.headers.get("ratelimit")).toContain(`"sign-in";r=${10 - i};`);
      }
      const blocked = await browser.signIn(email, "wrong password 11");
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get("retry-after")).toBe("900");
      expect(blocked.headers.get("ratelimit-policy")).toContain('"sign-in";q=10;w=900');
      expect(blocked.headers.get("ratelimit")).toContain('"sign-in";r=0;t=900');
      expect(blocked.body.message).toContain("Too many failed sign-ins");
      const right = await browser.signIn(email);
      expect(right.status).toBe(429);
      expect(right.headers.get("retry-after")).toBe("1800");
      expect(browser.cookie).toBeNull();
      const third = await browser.signIn(email);
      expect(third.headers.get("retry-after")).toBe("3600");
      const capped = await browser.signIn(email);
      expect(capped.headers.get("retry-after")).toBe("3600");
      // Other users are not affected.
      const other = await newUser();
      expect((await new Browser(server.url).signIn(other.email)).status).toBe(200);
    });

    it("a successful sign-in clears the e-mail's failures", async () => {
      const { email } = await newUser();
      const browser = new Browser(server.url);
      for (let i = 0; i < 9; i++) expect((await browser.signIn(email, "wrong password!")).status).toBe(401);
      expect((await browser.signIn(email)).status).toBe(200);
      for (let i = 0; i < 9; i++) expect((await browser.signIn(email, "wrong password!")).status).toBe(401);
      expect((await browser.signIn(email)).status).toBe(200);
    });
  });

  describe("assay-server user password", () => {
    it("--password-stdin sets the password; sign-in then works", async () => {
      await runServerCommand(server, ["user", "create", "--email", "shell@example.com", "--name", "Shell"]);
      const out = await runWithStdin(
        server.env,
        ["user", "password", "--email", "shell@example.com", "--password-stdin"],
        `${PASSWORD}\n`,
      );
      expect(out.code).toBe(0);
      expect(out.stdout).toContain("Set the password of shell@example.com");
      const res = await new Browser(server.url).signIn("shell@example.com");
      expect(res.status).toBe(200);
      const short = await runWithStdin(
        server.env,
        ["user", "password", "--email", "shell@example.com", "--password-stdin"],
        "short\n",
      );
      expect(short.code).toBe(1);
      expect(short.stderr).toContain("The password must be 12 to 1024 characters long");
    });

    it("without --password-stdin prints a one-time link: a path without ASSAY_PUBLIC_URL, a URL with it", async () => {
      await runServerCommand(server, ["user", "create", "--email", "linked@example.com", "--name", "Linked"]);
      const relative = await runWithStdin(server.env, ["user", "password", "--email", "linked@example.com"], "");
      expect(relative.stdout.trim()).toMatch(/^\/set-password\/[A-Za-z0-9_-]{43}$/);
      expect(relative.stderr).toContain("set ASSAY_PUBLIC_URL to print the full link");
      const env = { ...server.env, ASSAY_PUBLIC_URL: "https://assay.example.com" };
      const full = await runWithStdin(env, ["user", "password", "--email", "linked@example.com"], "");
      expect(full.stdout.trim()).toMatch(/^https:\/\/assay\.example\.com\/set-password\/[A-Za-z0-9_-]{43}$/);
      const token = tokenOf(full.stdout.trim());
      // The newer link replaced the first.
      expect((await new Browser(server.url).get(`/x/auth/links/${tokenOf(relative.stdout.trim())}`)).status).toBe(404);
      const set = await new Browser(server.url).post("/x/auth/password", { token, password: PASSWORD });
      expect(set.status).toBe(200);
      expect(set.body.result.user.email).toBe("linked@example.com");
    });
  });
});

describe.each(BACKENDS)("first start on %s", (backend) => {
  it("prints the administrator's one-time password link next to the token, and the link signs them in", async () => {
    const started = await startFresh(backend, { ASSAY_ADMIN_EMAIL: "boss@example.com" });
    try {
      expect(started.output).toContain("Administrator API token (shown only this once");
      const match = /(http:\/\/127\.0\.0\.1:\d+)\/set-password\/([A-Za-z0-9_-]{43})/.exec(started.output);
      expect(match, started.output).not.toBeNull();
      expect(match![1]).toBe(started.url);
      expect(started.output).toContain("npx assay-server user password --email boss@example.com");
      const browser = new Browser(started.url);
      const link = await browser.get(`/x/auth/links/${match![2]}`);
      expect(link.body.result).toMatchObject({ email: "boss@example.com", purpose: "password" });
      const set = await browser.post("/x/auth/password", { token: match![2], password: PASSWORD });
      expect(set.status).toBe(200);
      expect(set.body.result.user).toMatchObject({ email: "boss@example.com", role: "administrator", is_admin: true });
    } finally {
      await started.stop();
    }
  });

  it("uses ASSAY_PUBLIC_URL in the link and accepts it as Origin; an https public URL makes the cookie Secure", async () => {
    const started = await startFresh(backend, { ASSAY_PUBLIC_URL: "https://assay.example.com:8443/" });
    try {
      const match = /https:\/\/assay\.example\.com:8443\/set-password\/([A-Za-z0-9_-]{43})/.exec(started.output);
      expect(match, started.output).not.toBeNull();
      const browser = new Browser(started.url, "https://assay.example.com:8443");
      const set = await browser.post("/x/auth/password", { token: match![1], password: PASSWORD });
      expect(set.status).toBe(200);
      expect(set.cookies[0]).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=\d+$/);
      // The public origin and the server's own both pass the Origin check.
      const invite = await browser.post("/x/invites", { email: "p@example.com", name: "P" });
      expect(invite.status).toBe(201);
      expect(invite.body.result.url).toMatch(/^https:\/\/assay\.example\.com:8443\/invite\//);
      const direct = await browser.post(
        "/x/invites",
        { email: "q@example.com", name: "Q" },
        {
          headers: { origin: started.url },
        },
      );
      expect(direct.status).toBe(201);
    } finally {
      await started.stop();
    }
  });
});

describe("TLS", () => {
  it("under ASSAY_TLS_* the cookie is Secure and the server's own origin is https", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-tls-"));
    const certPath = path.join(dir, "cert.pem");
    const keyPath = path.join(dir, "key.pem");
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
        ...["-keyout", keyPath, "-out", certPath, "-days", "1", "-subj", "/CN=127.0.0.1"],
        ...["-addext", "subjectAltName=IP:127.0.0.1"],
      ],
      { stdio: "ignore" },
    );
    const started = await startFresh("sqlite", { ASSAY_TLS_CERT: certPath, ASSAY_TLS_KEY: keyPath });
    try {
      expect(started.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const token = /https:\/\/127\.0\.0\.1:\d+\/set-password\/([A-Za-z0-9_-]{43})/.exec(started.output)![1]!;
      const ca = fs.readFileSync(certPath);
      const set = await httpsJson(
        ca,
        "POST",
        `${started.url}/api/v1/x/auth/password`,
        { token, password: PASSWORD },
        {
          origin: started.url,
        },
      );
      expect(set.status).toBe(200);
      const cookie = set.headers["set-cookie"]![0]!;
      expect(cookie).toMatch(/^assay_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=\d+$/);
      const session = cookie.split(";")[0]!;
      const csrf = (set.body as any).result.csrf_token;
      const headers = { cookie: session, "x-csrf-token": csrf };
      const http = started.url.replace("https:", "http:");
      const wrongScheme = await httpsJson(
        ca,
        "POST",
        `${started.url}/api/v1/x/me/tokens`,
        { name: "t" },
        {
          ...headers,
          origin: http,
        },
      );
      expect(wrongScheme.status).toBe(403);
      expect((wrongScheme.body as any).message).toContain(`expected ${started.url}`);
      const ok = await httpsJson(
        ca,
        "POST",
        `${started.url}/api/v1/x/me/tokens`,
        { name: "t" },
        {
          ...headers,
          origin: started.url,
        },
      );
      expect(ok.status).toBe(201);
    } finally {
      await started.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(BACKENDS)("sessions across instances on %s", (backend) => {
  it("a session made by one instance works on another sharing the database, and ends on both", async () => {
    const first = await startServerProcess({ backend });
    const second = await startServerProcess({ sharing: first });
    try {
      await runServerCommand(first, ["user", "create", "--email", "multi@example.com", "--name", "Multi"]);
      await runWithStdin(first.env, ["user", "password", "--email", "multi@example.com", "--password-stdin"], PASSWORD);
      const browser = new Browser(first.url);
      expect((await browser.signIn("multi@example.com")).status).toBe(200);
      const elsewhere = new Browser(second.url);
      elsewhere.cookie = browser.cookie;
      elsewhere.csrf = browser.csrf;
      expect((await elsewhere.get("/x/auth/session")).body.result.user.email).toBe("multi@example.com");
      expect((await elsewhere.post("/x/auth/sign-out")).status).toBe(204);
      expect((await browser.get("/projects")).status).toBe(401);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});

function httpsJson(ca: Buffer, method: string, url: string, body: unknown, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: unknown }>((resolve, reject) => {
    const text = JSON.stringify(body);
    const request = https.request(
      url,
      { method, ca, headers: { "content-type": "application/json", accept: "application/json", ...headers } },
      (response) => {
        let data = "";
        response.on("data", (chunk: Buffer) => {
          data += chunk.toString();
        });
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: data ? JSON.parse(data) : null,
          }),
        );
      },
    );
    request.on("error", reject);
    request.end(text);
  });
}

/** Runs `assay-server <args>` with `input` on standard input. */
function runWithStdin(env: Record<string, string>, args: string[], input: string) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  return collect(child, input);
}

async function collect(child: ChildProcess, input: string) {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin!.end(input);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr };
}

/** A server on empty storage without ASSAY_ADMIN_TOKEN, with what it printed up to "listening". */
async function startFresh(backend: Backend, extra: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-first-"));
  const database = backend === "postgres" ? await createPostgresDatabase() : null;
  const child = spawn(process.execPath, [MAIN, "start"], {
    env: {
      PATH: process.env.PATH ?? "",
      ASSAY_HOST: "127.0.0.1",
      ASSAY_PORT: "0",
      ASSAY_DATA_DIR: dataDir,
      ASSAY_LOG_LEVEL: "warn",
      ...(database ? { ASSAY_DATABASE_URL: database.url } : {}),
      ...extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { output, url } = await new Promise<{ output: string; url: string }>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /Assay listening on (\S+)/.exec(text);
      if (match) resolve({ output: text, url: match[1]! });
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}:\n${text}`)));
  });
  return {
    output,
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
