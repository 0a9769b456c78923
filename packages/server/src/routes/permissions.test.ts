import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ResponseContract } from "../test-support/contract.js";
import { ApiClient, type ApiResponse, makeTests } from "../test-support/http.js";
import { runServerCommand, startServerProcess, type TestServer } from "../test-support/server-process.js";

/**
 * The permission proof, over HTTP against the real server on every backend:
 * 1. a matrix role × endpoint → expected status, for every endpoint the app
 *    serves (a guard test fails when an endpoint is missing from the matrix);
 * 2. a cross-project suite: a user of one project cannot read or change
 *    anything of another project by id in the path, in a filter, in an
 *    expands or in a body reference.
 * Project A is the `assay-server demo` project, so every resource has data.
 *
 * Every response of the matrix is also checked against the response schema
 * that openapi.json documents for its status (the shared @assay/api schemas).
 *
 * Adding an endpoint: add one entry to ENDPOINTS below: its `METHOD /path` as
 * in openapi.json, a `prepare` that makes a fresh target with the admin client
 * (called once per role, so writes never collide) and the expected statuses,
 * usually one of the helpers read(), write() or adminOnly().
 */

const ROLES = ["administrator", "projectManager", "tester", "readOnly", "noAccess", "apiUser"] as const;
type RoleName = (typeof ROLES)[number];
type Expected = Record<RoleName, number>;

/** Project-scoped read: everyone with access may, a user without access to the project gets 403. */
const read = (ok = 200): Expected => ({
  administrator: ok,
  projectManager: ok,
  tester: ok,
  readOnly: ok,
  noAccess: 403,
  apiUser: ok,
});
/** Tester-level write (automation, repository, results): read-only users and users without access get 403. */
const write = (ok: number): Expected => ({ ...read(ok), readOnly: 403, noAccess: 403 });
/** Installation-wide reads every authenticated user may make. */
const anyone = (ok = 200): Expected => ({ ...read(ok), noAccess: ok });
/** Needs no token (sign-in and one-time links): every role gets the same answer, its token is not looked at. */
const open = (status: number): Expected => Object.fromEntries(ROLES.map((role) => [role, status])) as Expected;
/** The `/x` extension: administrators only. */
const adminOnly = (ok: number): Expected => ({
  administrator: ok,
  projectManager: 403,
  tester: 403,
  readOnly: 403,
  noAccess: 403,
  apiUser: 403,
});

interface Fixture {
  admin: ApiClient;
  /** the project every role is tested against (roles differ only there) */
  projectId: number;
  /** a user who can view only project A */
  insiderId: number;
  /** a group with access to project A */
  groupId: number;
  /** objects of project A made by `assay-server demo` */
  demo: { milestoneId: number; runId: number; sessionId: number };
  unique(): string;
}

interface Target {
  path: string;
  /** a JSON body */
  body?: unknown;
  /** or a multipart/form-data body of text files */
  files?: { field: string; name: string; content: string }[];
}

/** Sends a target's request as the holder of `token`: JSON, or multipart when it has files. */
async function send(client: ApiClient, method: string, target: Target, token: string): Promise<ApiResponse> {
  if (!target.files) return client.request(method, target.path, { token, body: target.body });
  const form = new FormData();
  for (const f of target.files) form.append(f.field, new Blob([f.content], { type: "text/plain" }), f.name);
  const response = await fetch(`${client.baseUrl}/api/v1${target.path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: "application/json" },
    body: form,
  });
  const text = await response.text();
  const json = (response.headers.get("content-type") ?? "").includes("json");
  return { status: response.status, headers: response.headers, body: json && text ? JSON.parse(text) : text };
}

interface Endpoint {
  /** `METHOD /path` exactly as openapi.json names it, without /api/v1 */
  route: string;
  prepare(f: Fixture): Promise<Target> | Target;
  expected: Expected;
}

async function newRun(f: Fixture): Promise<number> {
  const res = await f.admin.post(`/projects/${f.projectId}/automation/runs`, { name: f.unique(), source: "matrix" });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function newThread(f: Fixture): Promise<number> {
  const res = await f.admin.post(`/automation/runs/${await newRun(f)}/threads`, {});
  expect(res.status).toBe(201);
  return res.body.id;
}

async function newCase(f: Fixture): Promise<number> {
  const res = await f.admin.post(`/projects/${f.projectId}/cases`, { cases: [{ name: f.unique() }] });
  expect(res.status).toBe(201);
  return res.body.result[0].id;
}

/** A completed run of project A with one failed test whose failure makes (or joins) a failure group. */
async function newFailureGroup(f: Fixture): Promise<{ runId: number; groupId: number }> {
  const runId = await newRun(f);
  const thread = await f.admin.post(`/automation/runs/${runId}/threads`, {});
  const failure = { message: "expected 1 but got 2", type: "java.lang.AssertionError" };
  const test = { key: "matrixfailure", name: "matrix failure", folder: "matrix", status: "failure" };
  const fields = [{ type: 4, name: "Failure", value: failure.message, meta: failure, is_highlight: true }];
  const append = await f.admin.post(`/automation/runs/threads/${thread.body.id}/append`, {
    tests: [{ ...test, fields }],
  });
  expect(append.status).toBe(204);
  const groups = await f.admin.get(`/x/automation/runs/${runId}/failure-groups`);
  expect(groups.body.total).toBe(1);
  return { runId, groupId: groups.body.result[0].id };
}

/** An automation case (test identity) of project A with one passed result. */
async function newAutomationCase(f: Fixture): Promise<number> {
  const key = f.unique();
  const thread = await f.admin.post(`/automation/runs/${await newRun(f)}/threads`, {});
  const test = { key, name: key, folder: "matrix", status: "passed", elapsed: 1000 };
  expect((await f.admin.post(`/automation/runs/threads/${thread.body.id}/append`, { tests: [test] })).status).toBe(204);
  // `name` matches a substring: m…5 also finds m…50, so pick the exact key.
  const cases = await f.admin.get(`/x/projects/${f.projectId}/automation/cases?name=${key}`);
  return cases.body.result.find((c: { key: string }) => c.key === key).id;
}

/** A one-time link token of a new invited user (no password yet). */
async function newInviteToken(f: Fixture): Promise<string> {
  const res = await f.admin.post("/x/invites", { email: `${f.unique()}@example.com`, name: "Invited" });
  expect(res.status).toBe(201);
  return res.body.result.url.split("/").at(-1);
}

const MATRIX_PASSWORD = "matrix password 123";

/** A new user who has set a password through an invite; their e-mail. */
async function newPasswordUser(f: Fixture): Promise<string> {
  const token = await newInviteToken(f);
  const set = await f.admin.post("/x/auth/password", { token, password: MATRIX_PASSWORD }, { token: null });
  expect(set.status).toBe(200);
  return set.body.result.user.email;
}

/** Name prefix of the projects the matrix creates through /x/projects. */
const MATRIX_PROJECT = "matrix-project-";

/**
 * A new project is open to everyone's global role; the matrix's ones get "no access" by default, so they
 * join no one to anyone (the cross-project suite needs its outsider to share nothing with project A).
 */
async function closeMatrixProjects(f: Fixture): Promise<void> {
  const projects = await f.admin.get("/projects?per_page=100");
  for (const project of projects.body.result as { id: number; name: string }[]) {
    if (!project.name.startsWith(MATRIX_PROJECT)) continue;
    const res = await f.admin.request("PUT", `/x/projects/${project.id}/access`, {
      body: { default: true, role: null },
    });
    expect(res.status).toBe(204);
  }
}

const TEXT_FILE = { name: "notes.txt", content: "hello" };

async function newAttachment(f: Fixture): Promise<{ caseId: number; attachmentId: number }> {
  const caseId = await newCase(f);
  const target = { path: `/cases/${caseId}/attachments/single`, files: [{ field: "file", ...TEXT_FILE }] };
  const res = await send(f.admin, "POST", target, f.admin.token!);
  expect(res.status).toBe(201);
  return { caseId, attachmentId: res.body.result[0].id };
}

async function newFolder(f: Fixture): Promise<number> {
  const res = await f.admin.post(`/projects/${f.projectId}/folders`, { folders: [{ name: f.unique() }] });
  expect(res.status).toBe(201);
  return res.body.result[0].id;
}

/** A manual run of project A with one test; `result` adds a failed result to it. */
async function newManualRun(f: Fixture, options: { result?: boolean } = {}) {
  const res = await f.admin.post(`/x/projects/${f.projectId}/runs`, { name: f.unique(), case_ids: [await newCase(f)] });
  expect(res.status).toBe(201);
  const runId: number = res.body.result.id;
  const testId: number = (await f.admin.get(`/x/runs/${runId}/tests`)).body.result[0].id;
  if (!options.result) return { runId, testId, resultId: 0 };
  const result = await f.admin.post(`/x/runs/${runId}/results`, { test_id: testId, status_id: 3 });
  expect(result.status).toBe(201);
  return { runId, testId, resultId: result.body.result.id as number };
}

/** Manual-run management ("manage_runs"): administrators and project managers only. */
const manageRuns = (ok: number): Expected => ({ ...write(ok), tester: 403, apiUser: 403 });

const ENDPOINTS: Endpoint[] = [
  // Current user, users, groups, roles, project users
  { route: "GET /user", prepare: () => ({ path: "/user" }), expected: anyone() },
  { route: "GET /users", prepare: () => ({ path: "/users" }), expected: anyone() },
  {
    route: "GET /users/{user_id}",
    // The insider works only in project A: whoever cannot view A shares no project with them.
    prepare: (f) => ({ path: `/users/${f.insiderId}` }),
    expected: read(),
  },
  { route: "GET /groups", prepare: () => ({ path: "/groups" }), expected: anyone() },
  { route: "GET /groups/{group_id}", prepare: (f) => ({ path: `/groups/${f.groupId}` }), expected: read() },
  { route: "GET /roles", prepare: () => ({ path: "/roles" }), expected: anyone() },
  { route: "GET /roles/{role_id}", prepare: () => ({ path: "/roles/1" }), expected: anyone() },
  {
    route: "GET /projects/{project_id}/users",
    prepare: (f) => ({ path: `/projects/${f.projectId}/users` }),
    expected: read(),
  },
  // Projects (the list only hides what a user may not see)
  { route: "GET /projects", prepare: () => ({ path: "/projects" }), expected: anyone() },
  { route: "GET /projects/{project_id}", prepare: (f) => ({ path: `/projects/${f.projectId}` }), expected: read() },
  {
    route: "GET /x/projects/{project_id}/permissions",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/permissions` }),
    expected: read(),
  },
  // Automation sources and runs
  {
    route: "GET /projects/{project_id}/automation/sources",
    prepare: (f) => ({ path: `/projects/${f.projectId}/automation/sources` }),
    expected: read(),
  },
  {
    route: "GET /automation/sources/{automation_source_id}",
    prepare: async (f) => {
      await newRun(f);
      const sources = await f.admin.get(`/projects/${f.projectId}/automation/sources`);
      return { path: `/automation/sources/${sources.body.result[0].id}` };
    },
    expected: read(),
  },
  {
    route: "GET /projects/{project_id}/automation/runs",
    prepare: (f) => ({ path: `/projects/${f.projectId}/automation/runs` }),
    expected: read(),
  },
  {
    route: "GET /automation/runs/{automation_run_id}",
    prepare: async (f) => ({ path: `/automation/runs/${await newRun(f)}` }),
    expected: read(),
  },
  {
    route: "POST /projects/{project_id}/automation/runs",
    prepare: (f) => ({
      path: `/projects/${f.projectId}/automation/runs`,
      body: { name: f.unique(), source: "matrix" },
    }),
    expected: write(201),
  },
  {
    route: "POST /automation/runs/{automation_run_id}/append",
    prepare: async (f) => ({
      path: `/automation/runs/${await newRun(f)}/append`,
      body: { links: [{ name: "CI", url: "https://ci.example.com/1" }] },
    }),
    expected: write(204),
  },
  {
    route: "POST /automation/runs/{automation_run_id}/complete",
    prepare: async (f) => ({ path: `/automation/runs/${await newRun(f)}/complete`, body: {} }),
    expected: write(204),
  },
  {
    route: "POST /automation/runs/{automation_run_id}/threads",
    prepare: async (f) => ({ path: `/automation/runs/${await newRun(f)}/threads`, body: {} }),
    expected: write(201),
  },
  {
    route: "POST /automation/runs/threads/{automation_run_thread_id}/append",
    prepare: async (f) => ({
      path: `/automation/runs/threads/${await newThread(f)}/append`,
      body: { tests: makeTests(2) },
    }),
    expected: write(204),
  },
  {
    route: "POST /automation/runs/threads/{automation_run_thread_id}/complete",
    prepare: async (f) => ({ path: `/automation/runs/threads/${await newThread(f)}/complete`, body: {} }),
    expected: write(204),
  },
  // Testmo's newer automation API (spec §7): reads need "view", links "repository" like case writes
  {
    route: "GET /automation/runs/{automation_run_id}/tests",
    prepare: async (f) => {
      const runId = await newRun(f);
      const thread = await f.admin.post(`/automation/runs/${runId}/threads`, {});
      const tests = makeTests(3, { statuses: ["passed", "failure", "skipped"] });
      expect((await f.admin.post(`/automation/runs/threads/${thread.body.id}/append`, { tests })).status).toBe(204);
      return { path: `/automation/runs/${runId}/tests?status_id=2,3&sort=automation_run_tests:name` };
    },
    expected: read(),
  },
  {
    route: "GET /projects/{project_id}/automation/cases",
    prepare: async (f) => {
      await newAutomationCase(f);
      return { path: `/projects/${f.projectId}/automation/cases?expands=automation_sources,repository_cases` };
    },
    expected: read(),
  },
  {
    route: "POST /projects/{project_id}/automation-links",
    prepare: async (f) => ({
      path: `/projects/${f.projectId}/automation-links`,
      body: { case_id: await newCase(f), automation_case_id: await newAutomationCase(f) },
    }),
    expected: write(204),
  },
  {
    route: "POST /projects/{project_id}/automation-links/bulk",
    prepare: async (f) => ({
      path: `/projects/${f.projectId}/automation-links/bulk`,
      body: { links: [{ case_id: await newCase(f), automation_case_id: await newAutomationCase(f) }] },
    }),
    expected: write(204),
  },
  // Milestones, manual runs and their results, sessions (made by `assay-server demo`)
  {
    route: "GET /projects/{project_id}/milestones",
    prepare: (f) => ({ path: `/projects/${f.projectId}/milestones` }),
    expected: read(),
  },
  {
    route: "GET /milestones/{milestone_id}",
    prepare: (f) => ({ path: `/milestones/${f.demo.milestoneId}` }),
    expected: read(),
  },
  {
    route: "GET /projects/{project_id}/runs",
    prepare: (f) => ({ path: `/projects/${f.projectId}/runs` }),
    expected: read(),
  },
  { route: "GET /runs/{run_id}", prepare: (f) => ({ path: `/runs/${f.demo.runId}` }), expected: read() },
  {
    route: "GET /runs/{run_id}/results",
    prepare: (f) => ({ path: `/runs/${f.demo.runId}/results` }),
    expected: read(),
  },
  {
    route: "GET /projects/{project_id}/sessions",
    prepare: (f) => ({ path: `/projects/${f.projectId}/sessions` }),
    expected: read(),
  },
  {
    route: "GET /sessions/{session_id}",
    prepare: (f) => ({ path: `/sessions/${f.demo.sessionId}` }),
    expected: read(),
  },
  // Assay's manual-run writes (/x): "manage_runs" to create, edit, assign, close; "results" to record
  {
    route: "GET /x/projects/{project_id}/configs",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/configs` }),
    expected: read(),
  },
  {
    route: "POST /x/projects/{project_id}/runs",
    prepare: async (f) => ({
      path: `/x/projects/${f.projectId}/runs`,
      body: { name: f.unique(), case_ids: [await newCase(f)] },
    }),
    expected: manageRuns(201),
  },
  {
    route: "PATCH /x/runs/{run_id}",
    prepare: async (f) => ({ path: `/x/runs/${(await newManualRun(f)).runId}`, body: { name: f.unique() } }),
    expected: manageRuns(200),
  },
  {
    route: "GET /x/runs/{run_id}/tests",
    prepare: async (f) => ({ path: `/x/runs/${(await newManualRun(f)).runId}/tests` }),
    expected: read(),
  },
  {
    route: "POST /x/runs/{run_id}/assign",
    prepare: async (f) => {
      const { runId, testId } = await newManualRun(f);
      return { path: `/x/runs/${runId}/assign`, body: { test_ids: [testId], assignee_id: null } };
    },
    expected: manageRuns(200),
  },
  {
    route: "POST /x/runs/{run_id}/close",
    prepare: async (f) => ({ path: `/x/runs/${(await newManualRun(f)).runId}/close`, body: {} }),
    expected: manageRuns(200),
  },
  {
    route: "POST /x/runs/{run_id}/results",
    prepare: async (f) => {
      const { runId, testId } = await newManualRun(f);
      return { path: `/x/runs/${runId}/results`, body: { test_id: testId, status_id: 2, note: "matrix" } };
    },
    expected: write(201),
  },
  {
    route: "POST /x/run-results/{run_result_id}/attachments",
    prepare: async (f) => ({
      path: `/x/run-results/${(await newManualRun(f, { result: true })).resultId}/attachments`,
      files: [{ field: "file", ...TEXT_FILE }],
    }),
    expected: write(201),
  },
  {
    route: "GET /x/run-result-attachments/{run_result_attachment_id}/download",
    prepare: async (f) => {
      const { resultId } = await newManualRun(f, { result: true });
      const target = { path: `/x/run-results/${resultId}/attachments`, files: [{ field: "file", ...TEXT_FILE }] };
      const res = await send(f.admin, "POST", target, f.admin.token!);
      expect(res.status).toBe(201);
      return { path: `/x/run-result-attachments/${res.body.result.id}/download` };
    },
    expected: read(),
  },
  // Repository cases
  {
    route: "GET /projects/{project_id}/cases",
    prepare: (f) => ({ path: `/projects/${f.projectId}/cases` }),
    expected: read(),
  },
  {
    route: "POST /projects/{project_id}/cases",
    prepare: (f) => ({ path: `/projects/${f.projectId}/cases`, body: { cases: [{ name: f.unique() }] } }),
    expected: write(201),
  },
  {
    route: "PATCH /projects/{project_id}/cases",
    prepare: async (f) => ({
      path: `/projects/${f.projectId}/cases`,
      body: { ids: [await newCase(f)], name: f.unique() },
    }),
    expected: write(200),
  },
  {
    route: "DELETE /projects/{project_id}/cases",
    prepare: async (f) => ({ path: `/projects/${f.projectId}/cases`, body: { ids: [await newCase(f)] } }),
    expected: write(204),
  },
  // Case attachments
  {
    route: "GET /cases/{case_id}/attachments",
    prepare: async (f) => ({ path: `/cases/${(await newAttachment(f)).caseId}/attachments` }),
    expected: read(),
  },
  {
    route: "POST /cases/{case_id}/attachments",
    prepare: async (f) => ({
      path: `/cases/${await newCase(f)}/attachments`,
      files: [{ field: "files[]", ...TEXT_FILE }],
    }),
    expected: write(201),
  },
  {
    route: "POST /cases/{case_id}/attachments/single",
    prepare: async (f) => ({
      path: `/cases/${await newCase(f)}/attachments/single`,
      files: [{ field: "file", ...TEXT_FILE }],
    }),
    expected: write(201),
  },
  {
    route: "DELETE /cases/{case_id}/attachments",
    prepare: async (f) => {
      const { caseId, attachmentId } = await newAttachment(f);
      return { path: `/cases/${caseId}/attachments`, body: { ids: [attachmentId] } };
    },
    expected: write(204),
  },
  {
    route: "GET /attachments/{attachment_id}/download",
    prepare: async (f) => ({ path: `/attachments/${(await newAttachment(f)).attachmentId}/download` }),
    expected: read(),
  },
  // Repository folders
  {
    route: "GET /projects/{project_id}/folders",
    prepare: (f) => ({ path: `/projects/${f.projectId}/folders` }),
    expected: read(),
  },
  {
    route: "POST /projects/{project_id}/folders",
    prepare: (f) => ({ path: `/projects/${f.projectId}/folders`, body: { folders: [{ name: f.unique() }] } }),
    expected: write(201),
  },
  {
    route: "PATCH /projects/{project_id}/folders",
    prepare: async (f) => ({
      path: `/projects/${f.projectId}/folders`,
      body: { ids: [await newFolder(f)], name: f.unique() },
    }),
    expected: write(200),
  },
  {
    route: "DELETE /projects/{project_id}/folders",
    prepare: async (f) => ({ path: `/projects/${f.projectId}/folders`, body: { ids: [await newFolder(f)] } }),
    expected: write(204),
  },
  // Repository screens (Assay's /x extension): reads need view, writes the repository permission
  {
    route: "GET /x/cases/{case_id}",
    prepare: async (f) => ({ path: `/x/cases/${await newCase(f)}` }),
    expected: read(),
  },
  {
    route: "PATCH /x/cases/{case_id}",
    // A new case was never saved: its version is updated_at null.
    prepare: async (f) => ({ path: `/x/cases/${await newCase(f)}`, body: { updated_at: null, name: f.unique() } }),
    expected: write(200),
  },
  {
    route: "GET /x/projects/{project_id}/cases",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/cases?search=a&include_subfolders=true` }),
    expected: read(),
  },
  {
    route: "GET /x/projects/{project_id}/repository",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/repository` }),
    expected: read(),
  },
  {
    route: "POST /x/folders/{folder_id}/move",
    prepare: async (f) => ({ path: `/x/folders/${await newFolder(f)}/move`, body: { parent_id: null, position: 0 } }),
    expected: write(200),
  },
  {
    route: "GET /x/folders/{folder_id}/contents",
    prepare: async (f) => ({ path: `/x/folders/${await newFolder(f)}/contents` }),
    expected: read(),
  },
  // Issue integrations are installation-wide (their "projects" are the issue tracker's)
  { route: "GET /issues/connections", prepare: () => ({ path: "/issues/connections" }), expected: anyone() },
  // Issue tracker administration (x-issue-integrations): administrators only
  {
    route: "POST /x/issue-integrations",
    prepare: (f) => ({
      path: "/x/issue-integrations",
      body: { type: 2, name: f.unique(), connections: [{ name: "acme", projects: [{ name: "web" }] }] },
    }),
    expected: adminOnly(201),
  },
  {
    route: "PATCH /x/issue-integrations/{integration_id}",
    prepare: async (f) => {
      const tracker = await f.admin.post("/x/issue-integrations", { type: 1, name: f.unique() });
      return { path: `/x/issue-integrations/${tracker.body.result.id}`, body: { name: f.unique() } };
    },
    expected: adminOnly(200),
  },
  {
    route: "DELETE /x/issue-integrations/{integration_id}",
    prepare: async (f) => {
      const tracker = await f.admin.post("/x/issue-integrations", { type: 1, name: f.unique() });
      return { path: `/x/issue-integrations/${tracker.body.result.id}` };
    },
    expected: adminOnly(204),
  },
  // Assay's /x extension (not Testmo): administrators only
  {
    route: "POST /x/users",
    prepare: (f) => ({ path: "/x/users", body: { email: `${f.unique()}@example.com`, name: "New" } }),
    expected: adminOnly(201),
  },
  {
    route: "POST /x/groups",
    prepare: (f) => ({ path: "/x/groups", body: { name: f.unique() } }),
    expected: adminOnly(201),
  },
  {
    route: "POST /x/groups/{group_id}/members",
    prepare: (f) => ({ path: `/x/groups/${f.groupId}/members`, body: { user_ids: [f.insiderId] } }),
    expected: adminOnly(204),
  },
  {
    route: "PUT /x/projects/{project_id}/access",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/access`, body: { user_id: f.insiderId, role: "read-only" } }),
    expected: adminOnly(204),
  },
  // Administration (x-users, x-groups, x-projects, x-tokens): administrators only
  {
    route: "PATCH /x/users/{user_id}",
    prepare: async (f) => {
      const user = await f.admin.post("/x/users", { email: `${f.unique()}@example.com`, name: "Renamed later" });
      return { path: `/x/users/${user.body.id}`, body: { name: "Renamed" } };
    },
    expected: adminOnly(200),
  },
  {
    route: "PATCH /x/groups/{group_id}",
    prepare: async (f) => {
      const group = await f.admin.post("/x/groups", { name: f.unique() });
      return { path: `/x/groups/${group.body.id}`, body: { name: f.unique() } };
    },
    expected: adminOnly(200),
  },
  {
    route: "DELETE /x/groups/{group_id}",
    prepare: async (f) => ({ path: `/x/groups/${(await f.admin.post("/x/groups", { name: f.unique() })).body.id}` }),
    expected: adminOnly(204),
  },
  {
    route: "DELETE /x/groups/{group_id}/members/{user_id}",
    prepare: async (f) => {
      const group = await f.admin.post("/x/groups", { name: f.unique(), members: [f.insiderId] });
      return { path: `/x/groups/${group.body.id}/members/${f.insiderId}` };
    },
    expected: adminOnly(204),
  },
  {
    route: "POST /x/projects",
    prepare: async (f) => {
      await closeMatrixProjects(f);
      return { path: "/x/projects", body: { name: `${MATRIX_PROJECT}${f.unique()}` } };
    },
    expected: adminOnly(201),
  },
  {
    route: "PATCH /x/projects/{project_id}",
    prepare: async (f) => {
      const project = await f.admin.post("/x/projects", { name: `${MATRIX_PROJECT}${f.unique()}` });
      await closeMatrixProjects(f);
      return { path: `/x/projects/${project.body.result.id}`, body: { is_completed: true } };
    },
    expected: adminOnly(200),
  },
  {
    route: "GET /x/projects/{project_id}/access",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/access` }),
    expected: adminOnly(200),
  },
  { route: "GET /x/tokens", prepare: () => ({ path: "/x/tokens" }), expected: adminOnly(200) },
  {
    route: "DELETE /x/tokens/{token_id}",
    prepare: async (f) => {
      const email = `${f.unique()}@example.com`;
      const user = await f.admin.post("/x/users", { email, name: "Bot", is_api: true, token_name: "matrix" });
      const tokens = await f.admin.get(`/x/tokens?user_id=${user.body.id}`);
      return { path: `/x/tokens/${tokens.body.result[0].id}` };
    },
    expected: adminOnly(204),
  },
  // Assay's /x test intelligence, runs and projects (not Testmo): reads need "view"
  {
    route: "GET /x/automation/runs/{automation_run_id}/comparison",
    prepare: async (f) => ({ path: `/x/automation/runs/${await newRun(f)}/comparison` }),
    expected: read(),
  },
  {
    route: "GET /x/automation/runs/{automation_run_id}/failure-groups",
    prepare: async (f) => ({ path: `/x/automation/runs/${(await newFailureGroup(f)).runId}/failure-groups` }),
    expected: read(),
  },
  {
    route: "GET /x/automation/runs/{automation_run_id}/tests/compact",
    prepare: async (f) => ({ path: `/x/automation/runs/${(await newFailureGroup(f)).runId}/tests/compact` }),
    expected: read(),
  },
  {
    route: "GET /x/automation/run-tests/{automation_run_test_id}",
    prepare: async (f) => {
      const { runId } = await newFailureGroup(f);
      const compact = await f.admin.get(`/x/automation/runs/${runId}/tests/compact`);
      return { path: `/x/automation/run-tests/${compact.body.result.ids[0]}` };
    },
    expected: read(),
  },
  {
    route: "GET /x/projects/{project_id}/failure-groups",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/failure-groups` }),
    expected: read(),
  },
  {
    route: "GET /x/failure-groups/{failure_group_id}",
    prepare: async (f) => ({ path: `/x/failure-groups/${(await newFailureGroup(f)).groupId}` }),
    expected: read(),
  },
  {
    route: "GET /x/projects/{project_id}/automation/trends",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/automation/trends` }),
    expected: read(),
  },
  // Assay's /x test intelligence, test by test (not Testmo): reads need "view", quarantine "automation",
  // insight settings "manageProject"
  {
    route: "GET /x/projects/{project_id}/automation/cases",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/automation/cases?sort=elapsed_p95&per_page=15` }),
    expected: read(),
  },
  {
    route: "GET /x/automation/cases/{automation_case_id}",
    prepare: async (f) => ({ path: `/x/automation/cases/${await newAutomationCase(f)}` }),
    expected: read(),
  },
  {
    route: "GET /x/automation/cases/{automation_case_id}/history",
    prepare: async (f) => ({ path: `/x/automation/cases/${await newAutomationCase(f)}/history` }),
    expected: read(),
  },
  {
    route: "GET /x/automation/cases/{automation_case_id}/failure-groups",
    prepare: async (f) => ({ path: `/x/automation/cases/${await newAutomationCase(f)}/failure-groups` }),
    expected: read(),
  },
  {
    route: "PUT /x/automation/cases/{automation_case_id}/quarantine",
    prepare: async (f) => ({
      path: `/x/automation/cases/${await newAutomationCase(f)}/quarantine`,
      body: { reason: "matrix" },
    }),
    expected: write(200),
  },
  {
    route: "DELETE /x/automation/cases/{automation_case_id}/quarantine",
    prepare: async (f) => {
      const id = await newAutomationCase(f);
      const put = await f.admin.request("PUT", `/x/automation/cases/${id}/quarantine`, { body: { reason: "matrix" } });
      expect(put.status).toBe(200);
      return { path: `/x/automation/cases/${id}/quarantine` };
    },
    expected: write(204),
  },
  {
    route: "GET /x/projects/{project_id}/insight-settings",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/insight-settings` }),
    expected: read(),
  },
  {
    route: "PATCH /x/projects/{project_id}/insight-settings",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/insight-settings`, body: { flaky_window: 30 } }),
    // manageProject: administrators and project managers only
    expected: { ...write(200), tester: 403, apiUser: 403 },
  },
  // Assay's /x retention (not Testmo): policies need "manageProject", a pass run now is for administrators
  {
    route: "GET /x/projects/{project_id}/retention",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/retention` }),
    expected: { ...write(200), tester: 403, apiUser: 403 },
  },
  {
    route: "PUT /x/projects/{project_id}/retention",
    // 100 years: no demo run is that old, so the passes below remove nothing the other entries use
    prepare: (f) => ({
      path: `/x/projects/${f.projectId}/retention`,
      body: { policies: [{ source_id: null, keep_days: 36_500 }] },
    }),
    expected: { ...write(200), tester: 403, apiUser: 403 },
  },
  {
    route: "POST /x/retention/run",
    prepare: () => ({ path: "/x/retention/run", body: { dry_run: true } }),
    expected: adminOnly(200),
  },
  // Assay's /x web sign-in (not Testmo): no token needed, a token sent along changes nothing
  {
    route: "POST /x/auth/sign-in",
    prepare: async (f) => ({
      path: "/x/auth/sign-in",
      body: { email: await newPasswordUser(f), password: MATRIX_PASSWORD },
    }),
    expected: open(200),
  },
  // An API token is no web session: the session endpoint wants the cookie
  { route: "GET /x/auth/session", prepare: () => ({ path: "/x/auth/session" }), expected: open(401) },
  { route: "POST /x/auth/sign-out", prepare: () => ({ path: "/x/auth/sign-out" }), expected: open(204) },
  {
    route: "POST /x/auth/password",
    prepare: async (f) => ({
      path: "/x/auth/password",
      body: { token: await newInviteToken(f), password: MATRIX_PASSWORD },
    }),
    expected: open(200),
  },
  {
    route: "GET /x/auth/links/{token}",
    prepare: async (f) => ({ path: `/x/auth/links/${await newInviteToken(f)}` }),
    expected: open(200),
  },
  // …these act for the token's (or session's) user: anyone signed in
  {
    route: "POST /x/auth/sign-out-everywhere",
    prepare: () => ({ path: "/x/auth/sign-out-everywhere" }),
    expected: anyone(204),
  },
  { route: "GET /x/me/tokens", prepare: () => ({ path: "/x/me/tokens" }), expected: anyone(200) },
  {
    route: "POST /x/me/tokens",
    prepare: (f) => ({ path: "/x/me/tokens", body: { name: f.unique() } }),
    expected: anyone(201),
  },
  {
    route: "DELETE /x/me/tokens/{token_id}",
    // A fresh token of the administrator: only its owner may revoke it, anyone else gets 404 (not theirs).
    prepare: async (f) => {
      const created = await f.admin.post("/x/me/tokens", { name: f.unique() });
      expect(created.status).toBe(201);
      return { path: `/x/me/tokens/${created.body.result.id}` };
    },
    expected: { administrator: 204, projectManager: 404, tester: 404, readOnly: 404, noAccess: 404, apiUser: 404 },
  },
  // Assay's /x invites (not Testmo): administrators only
  {
    route: "POST /x/invites",
    prepare: (f) => ({ path: "/x/invites", body: { email: `${f.unique()}@example.com`, name: "Invited" } }),
    expected: adminOnly(201),
  },
  // Assay's /x session recording (helper S): reads need "view", writes "results" (testers record sessions)
  ...(() => {
    const session = async (f: Fixture) =>
      (await f.admin.post(`/x/projects/${f.projectId}/sessions`, { name: f.unique() })).body.result.id as number;
    const attachment = async (f: Fixture) => {
      const target = { path: `/x/sessions/${await session(f)}/attachments`, files: [{ field: "file", ...TEXT_FILE }] };
      return (await send(f.admin, "POST", target, f.admin.token!)).body.result[0].id as number;
    };
    const sessionPath = async (f: Fixture, rest = "") => ({ path: `/x/sessions/${await session(f)}${rest}` });
    return [
      {
        route: "POST /x/projects/{project_id}/sessions",
        prepare: (f: Fixture) => ({ path: `/x/projects/${f.projectId}/sessions`, body: { name: f.unique() } }),
        expected: write(201),
      },
      { route: "GET /x/sessions/{session_id}", prepare: (f: Fixture) => sessionPath(f), expected: read() },
      {
        route: "PATCH /x/sessions/{session_id}",
        prepare: async (f: Fixture) => ({ ...(await sessionPath(f)), body: { notes: "seen", timer: "start" } }),
        expected: write(200),
      },
      {
        route: "POST /x/sessions/{session_id}/close",
        prepare: (f: Fixture) => sessionPath(f, "/close"),
        expected: write(200),
      },
      {
        route: "GET /x/sessions/{session_id}/results",
        prepare: (f: Fixture) => sessionPath(f, "/results"),
        expected: read(),
      },
      {
        route: "POST /x/sessions/{session_id}/results",
        prepare: async (f: Fixture) => ({ ...(await sessionPath(f, "/results")), body: { status_id: 2 } }),
        expected: write(201),
      },
      {
        route: "GET /x/sessions/{session_id}/attachments",
        prepare: (f: Fixture) => sessionPath(f, "/attachments"),
        expected: read(),
      },
      {
        route: "POST /x/sessions/{session_id}/attachments",
        prepare: async (f: Fixture) => ({
          ...(await sessionPath(f, "/attachments")),
          files: [{ field: "file", ...TEXT_FILE }],
        }),
        expected: write(201),
      },
      {
        route: "GET /x/session-attachments/{attachment_id}/download",
        prepare: async (f: Fixture) => ({ path: `/x/session-attachments/${await attachment(f)}/download` }),
        expected: read(),
      },
    ];
  })(),
  // Assay's /x milestones (helper S): writes need "manageRuns" (project managers), the progress read "view"
  {
    route: "POST /x/projects/{project_id}/milestones",
    prepare: (f) => ({ path: `/x/projects/${f.projectId}/milestones`, body: { name: f.unique() } }),
    expected: { ...write(201), tester: 403, apiUser: 403 },
  },
  {
    route: "PATCH /x/milestones/{milestone_id}",
    prepare: (f) => ({ path: `/x/milestones/${f.demo.milestoneId}`, body: { note: f.unique() } }),
    expected: { ...write(200), tester: 403, apiUser: 403 },
  },
  {
    route: "GET /x/milestones/{milestone_id}/progress",
    prepare: (f) => ({ path: `/x/milestones/${f.demo.milestoneId}/progress` }),
    expected: read(),
  },
];

function methodOf(route: string): string {
  return route.split(" ")[0]!;
}

describe.each(BACKENDS)("permissions on %s", (backend) => {
  let server: TestServer;
  let admin: ApiClient;
  const tokens = {} as Record<RoleName, string>;
  let fixture: Fixture;
  let projectA: number;
  let contract: ResponseContract;
  let counter = 0;

  const cli = (...args: string[]) => runServerCommand(server, args);
  async function user(email: string, role: string, ...extra: string[]) {
    const out = await cli(
      "user",
      "create",
      "--email",
      email,
      "--name",
      email,
      "--role",
      role,
      ...extra,
      "--token",
      "t",
    );
    const lines = out.trim().split("\n");
    return { id: Number(/Created user (\d+)/.exec(lines[0]!)![1]), token: lines.at(-1)!.trim() };
  }

  beforeAll(async () => {
    // The admin client prepares a fresh target per role for every endpoint: far more than the default
    // 600 requests a minute. Rate limiting has its own tests; here it would only turn statuses into 429.
    server = await startServerProcess({ backend, env: { ASSAY_RATE_LIMIT_REQUESTS: "1000000" } });
    admin = new ApiClient(server.url, server.token);
    contract = new ResponseContract((await admin.get("/openapi.json")).body);
    tokens.administrator = server.token;
    tokens.projectManager = (await user("pm@example.com", "project-manager")).token;
    tokens.tester = (await user("tester@example.com", "tester")).token;
    tokens.readOnly = (await user("reader@example.com", "read-only")).token;
    tokens.noAccess = (await user("outsider@example.com", "tester")).token;
    tokens.apiUser = (await user("bot@example.com", "tester", "--api")).token;
    const insider = await user("insider@example.com", "read-only");
    // Project A is the demo project (milestones, runs, sessions, cases…); project 1 is the outsider's home.
    projectA = Number(/id (\d+)/.exec(await cli("demo"))![1]);
    await cli("project", "access", "--project", String(projectA), "--email", "outsider@example.com", "--role", "none");
    await cli("project", "access", "--project", "1", "--email", "insider@example.com", "--role", "none");
    const groupId = Number(await cli("group", "create", "--name", "Project A team"));
    await cli("project", "access", "--project", String(projectA), "--group", String(groupId), "--role", "tester");
    const firstId = async (path: string) => (await admin.get(path)).body.result[0].id as number;
    fixture = {
      admin,
      projectId: projectA,
      insiderId: insider.id,
      groupId,
      demo: {
        milestoneId: await firstId(`/projects/${projectA}/milestones`),
        runId: await firstId(`/projects/${projectA}/runs`),
        sessionId: await firstId(`/projects/${projectA}/sessions`),
      },
      unique: () => `m${backend}${++counter}`,
    };
  });
  afterAll(() => server?.stop());

  describe("matrix: role × endpoint → status", () => {
    it("covers every endpoint the server serves", async () => {
      const doc = await admin.get("/openapi.json");
      // Only real operations: the 405 answers to other methods carry no operationId.
      const paths = doc.body.paths as Record<string, Record<string, { operationId?: string }>>;
      const served = Object.entries(paths).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, op]) => op.operationId)
          .map(([m]) => `${m.toUpperCase()} ${path.replace(/^\/api\/v1/, "")}`),
      );
      const inMatrix = new Set(ENDPOINTS.map((e) => e.route));
      const missing = served.filter((route) => !inMatrix.has(route));
      expect(missing, "add these endpoints to ENDPOINTS in routes/permissions.test.ts").toEqual([]);
      expect(ENDPOINTS.filter((e) => !served.includes(e.route)).map((e) => e.route)).toEqual([]);
    });

    for (const endpoint of ENDPOINTS) {
      it(endpoint.route, async () => {
        const actual = {} as Record<RoleName, number>;
        const messages: string[] = [];
        const violations: string[] = [];
        for (const role of ROLES) {
          const target = await endpoint.prepare(fixture);
          const res = await send(admin, methodOf(endpoint.route), target, tokens[role]);
          actual[role] = res.status;
          const violation = contract.violations(endpoint.route, res);
          if (violation) violations.push(`${role}: ${violation}`);
          if (res.status === 403) messages.push(res.body.message);
          if (res.status !== endpoint.expected[role]) {
            messages.push(`${role}: ${res.status} ${JSON.stringify(res.body)}`);
          }
        }
        expect(actual, messages.join("\n")).toEqual(endpoint.expected);
        expect(violations, "responses must match openapi.json").toEqual([]);
        // A 403 always says what is missing and what to do.
        for (const message of messages) expect(message).toMatch(/Ask|administrator/);
      });
    }
  });

  /**
   * The outsider works in project 1 only; project A (the demo) is foreign to
   * them. Secret objects of A must stay out of reach whichever way they are named.
   */
  describe("cross-project: a user of one project cannot reach another project", () => {
    let outsider: ApiClient;
    let a: {
      runId: number;
      threadId: number;
      sourceId: number;
      configId: number;
      folderId: number;
      caseId: number;
      attachmentId: number;
      milestoneId: number;
      manualRunId: number;
      sessionId: number;
    };
    let ownFolder: number;
    let ownCase: number;

    beforeAll(async () => {
      outsider = admin.withToken(tokens.noAccess);
      const A = `/projects/${projectA}`;
      const run = await admin.post(`${A}/automation/runs`, {
        name: "secret run",
        source: "secret-source",
        config: "secret-config",
      });
      const runId = run.body.id;
      const threadId = (await admin.post(`/automation/runs/${runId}/threads`, {})).body.id;
      const detail = (await admin.get(`/automation/runs/${runId}`)).body.result;
      const folderId = (await admin.post(`${A}/folders`, { folders: [{ name: "secret folder" }] })).body.result[0].id;
      const caseId = (await admin.post(`${A}/cases`, { cases: [{ name: "secret case", folder_id: folderId }] })).body
        .result[0].id;
      const upload = await send(
        admin,
        "POST",
        {
          path: `/cases/${caseId}/attachments/single`,
          files: [{ field: "file", name: "secret.txt", content: "secret" }],
        },
        server.token,
      );
      a = {
        attachmentId: upload.body.result[0].id,
        runId,
        threadId,
        sourceId: detail.source_id,
        configId: detail.config_id,
        folderId,
        caseId,
        milestoneId: fixture.demo.milestoneId,
        manualRunId: fixture.demo.runId,
        sessionId: fixture.demo.sessionId,
      };
      expect(a.configId).toBeGreaterThan(0);
      ownFolder = (await outsider.post("/projects/1/folders", { folders: [{ name: "home folder" }] })).body.result[0]
        .id;
      ownCase = (await outsider.post("/projects/1/cases", { cases: [{ name: "home case" }] })).body.result[0].id;
    });

    function expectDenied(res: ApiResponse, statuses = [403]) {
      expect(statuses, JSON.stringify(res.body)).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain("secret");
      // Rejected for the foreign reference itself, not for some unrelated validation error.
      if (res.status !== 403) expect(res.body.message).toMatch(/exist|project|belong/i);
    }

    function expectNothingOfA(res: ApiResponse) {
      expect(res.status === 422 || res.body.total === 0, JSON.stringify(res.body)).toBe(true);
      expect(JSON.stringify(res.body)).not.toContain("secret");
    }

    async function expectAUnchanged() {
      const run = await admin.get(`/automation/runs/${a.runId}`);
      expect(run.body.result).toMatchObject({ name: "secret run", is_completed: false });
      const folders = await admin.get(`/projects/${projectA}/folders?per_page=100`);
      expect(folders.body.result.find((f: { id: number }) => f.id === a.folderId)?.name).toBe("secret folder");
      const attachments = await admin.get(`/cases/${a.caseId}/attachments`);
      expect(attachments.body.result.map((x: { id: number }) => x.id)).toEqual([a.attachmentId]);
      const cases = await admin.get(`/projects/${projectA}/cases?folder_id=${a.folderId}`);
      expect(cases.body.result.map((c: { id: number; name: string }) => [c.id, c.name])).toEqual([
        [a.caseId, "secret case"],
      ]);
    }

    it("by id in the path: every read and write of A's objects is 403", async () => {
      const A = `/projects/${projectA}`;
      for (const path of [
        A,
        `${A}/users`,
        `${A}/automation/sources`,
        `${A}/automation/runs`,
        `${A}/folders`,
        `${A}/cases`,
        `${A}/milestones`,
        `${A}/runs`,
        `${A}/sessions`,
        `/automation/runs/${a.runId}`,
        `/automation/runs/${a.runId}/tests`,
        `${A}/automation/cases`,
        `/automation/sources/${a.sourceId}`,
        `/milestones/${a.milestoneId}`,
        `/runs/${a.manualRunId}`,
        `/runs/${a.manualRunId}/results`,
        `/sessions/${a.sessionId}`,
        `/cases/${a.caseId}/attachments`,
        `/attachments/${a.attachmentId}/download`,
        `/x/cases/${a.caseId}`,
        `/x${A}/cases`,
        `/x${A}/repository`,
        `/x/folders/${a.folderId}/contents`,
      ]) {
        expectDenied(await outsider.get(path));
      }
      expectDenied(await outsider.request("PATCH", `/x/cases/${a.caseId}`, { body: { updated_at: null, name: "x" } }));
      expectDenied(await outsider.post(`/x/folders/${a.folderId}/move`, { parent_id: null, position: 0 }));
      expectDenied(await outsider.post(`${A}/automation/runs`, { name: "x", source: "y" }));
      expectDenied(
        await outsider.post(`/automation/runs/${a.runId}/append`, { links: [{ name: "x", url: "https://x.example" }] }),
      );
      expectDenied(await outsider.post(`/automation/runs/${a.runId}/threads`, {}));
      expectDenied(await outsider.post(`/automation/runs/threads/${a.threadId}/append`, { tests: makeTests(1) }));
      expectDenied(await outsider.post(`/automation/runs/threads/${a.threadId}/complete`, {}));
      expectDenied(await outsider.post(`/automation/runs/${a.runId}/complete`, {}));
      expectDenied(await outsider.post(`${A}/folders`, { folders: [{ name: "x" }] }));
      expectDenied(await outsider.request("PATCH", `${A}/folders`, { body: { ids: [a.folderId], name: "x" } }));
      expectDenied(await outsider.request("DELETE", `${A}/folders`, { body: { ids: [a.folderId] } }));
      expectDenied(await outsider.post(`${A}/cases`, { cases: [{ name: "x" }] }));
      expectDenied(await outsider.request("PATCH", `${A}/cases`, { body: { ids: [a.caseId], name: "x" } }));
      expectDenied(await outsider.request("DELETE", `${A}/cases`, { body: { ids: [a.caseId] } }));
      expectDenied(await outsider.post(`${A}/automation-links`, { case_id: a.caseId, automation_case_id: 1 }));
      expectDenied(
        await outsider.post(`${A}/automation-links/bulk`, { links: [{ case_id: a.caseId, automation_case_id: 1 }] }),
      );
      const file = [{ field: "file", ...TEXT_FILE }];
      expectDenied(
        await send(outsider, "POST", { path: `/cases/${a.caseId}/attachments/single`, files: file }, tokens.noAccess),
      );
      expectDenied(
        await send(
          outsider,
          "POST",
          { path: `/cases/${a.caseId}/attachments`, files: [{ ...file[0]!, field: "files[]" }] },
          tokens.noAccess,
        ),
      );
      expectDenied(
        await outsider.request("DELETE", `/cases/${a.caseId}/attachments`, { body: { ids: [a.attachmentId] } }),
      );
      await expectAUnchanged();
    });

    it("in lists and filters: A's objects never appear", async () => {
      const projects = await outsider.get("/projects");
      expect(projects.body.result.map((p: { id: number }) => p.id)).toEqual([1]);
      expectNothingOfA(await outsider.get(`/projects/1/automation/runs?source_id=${a.sourceId}`));
      expectNothingOfA(await outsider.get(`/projects/1/automation/runs?config_id=${a.configId}`));
      expectNothingOfA(await outsider.get(`/projects/1/automation/runs?milestone_id=${a.milestoneId}`));
      expectNothingOfA(await outsider.get(`/projects/1/folders?parent_id=${a.folderId}`));
      expectNothingOfA(await outsider.get(`/projects/1/cases?folder_id=${a.folderId}`));
      expectNothingOfA(await outsider.get(`/x/projects/1/cases?folder_id=${a.folderId}&include_subfolders=true`));
      expectNothingOfA(await outsider.get(`/projects/1/runs?milestone_id=${a.milestoneId}`));
      expectNothingOfA(await outsider.get(`/projects/1/sessions?milestone_id=${a.milestoneId}`));
      // People who work only in A are not visible either.
      const users = await outsider.get("/users");
      expect(users.body.result.map((u: { email: string }) => u.email)).not.toContain("insider@example.com");
      expectDenied(await outsider.get(`/users/${fixture.insiderId}`));
      expectDenied(await outsider.get(`/groups/${fixture.groupId}`));
      expect((await outsider.get("/groups")).body.total).toBe(0);
    });

    it("in expands: only objects referenced by the user's own rows are named", async () => {
      await outsider.post("/projects/1/automation/runs", { name: "home run", source: "home-source", config: "home" });
      for (const path of [
        "/projects/1/automation/runs?expands=automation_sources,configs,milestones,users",
        "/projects/1/folders?expands=folders",
        "/projects/1/cases?expands=folders,users",
        "/projects?expands=users",
      ]) {
        const res = await outsider.get(path);
        expect(res.status, path).toBe(200);
        expect(JSON.stringify(res.body), path).not.toContain("secret");
      }
    });

    it("in a body reference: A's ids are rejected in the user's own project and A stays unchanged", async () => {
      const home = "/projects/1";
      const denied = [404, 422];
      expectDenied(
        await outsider.post(`${home}/automation/runs`, { name: "x", source: "y", config_id: a.configId }),
        denied,
      );
      expectDenied(
        await outsider.post(`${home}/automation/runs`, { name: "x", source: "y", milestone_id: a.milestoneId }),
        denied,
      );
      expectDenied(await outsider.post(`${home}/folders`, { folders: [{ name: "x", parent_id: a.folderId }] }), denied);
      expectDenied(
        await outsider.request("PATCH", `${home}/folders`, { body: { ids: [a.folderId], name: "hacked" } }),
        denied,
      );
      expectDenied(
        await outsider.request("PATCH", `${home}/folders`, { body: { ids: [ownFolder], parent_id: a.folderId } }),
        denied,
      );
      expectDenied(await outsider.request("DELETE", `${home}/folders`, { body: { ids: [a.folderId] } }), denied);
      expectDenied(await outsider.post(`${home}/cases`, { cases: [{ name: "x", folder_id: a.folderId }] }), denied);
      expectDenied(
        await outsider.request("PATCH", `${home}/cases`, { body: { ids: [a.caseId], name: "hacked" } }),
        denied,
      );
      expectDenied(
        await outsider.request("PATCH", `${home}/cases`, { body: { ids: [ownCase], folder_id: a.folderId } }),
        denied,
      );
      expectDenied(await outsider.request("DELETE", `${home}/cases`, { body: { ids: [a.caseId] } }), denied);
      expectDenied(
        await outsider.request("PATCH", `/x/cases/${ownCase}`, { body: { updated_at: null, folder_id: a.folderId } }),
        denied,
      );
      expectDenied(await outsider.post(`/x/folders/${ownFolder}/move`, { parent_id: a.folderId, position: 0 }), denied);
      expectDenied(
        await outsider.post(`${home}/automation-links`, { case_id: a.caseId, automation_case_id: 1 }),
        denied,
      );
      expectDenied(
        await outsider.request("DELETE", `/cases/${ownCase}/attachments`, { body: { ids: [a.attachmentId] } }),
        denied,
      );
      await expectAUnchanged();
    });
  });
});
