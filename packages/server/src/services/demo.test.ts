import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient } from "../test-support/http.js";
import {
  runAssayServer,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../test-support/server-process.js";

describe("assay-server demo before the first start", () => {
  it("creates the administrator, prints the token once, and the server then serves the demo", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-demo-first-"));
    try {
      const out = await runAssayServer({ ASSAY_DATA_DIR: dataDir }, ["demo"]);
      const token = /^\s+(assay_\S+)$/m.exec(out)?.[1];
      expect(token, out).toBeDefined();
      expect(out).toMatch(/Created project "Demo" \(id 2\)/);
      const server = await startServerProcess({ env: { ASSAY_DATA_DIR: dataDir } });
      try {
        const projects = await new ApiClient(server.url, token!).get("/projects");
        expect(projects.body.result.map((p: { name: string }) => p.name)).toEqual(
          expect.arrayContaining(["First project", "Demo"]),
        );
      } finally {
        await server.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each(BACKENDS)("assay-server demo on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let projectId: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    const out = await runServerCommand(server, ["demo"]);
    expect(out).toMatch(/Created project "Demo" \(id \d+\)/);
    projectId = Number(/id (\d+)/.exec(out)![1]);
  }, 60_000);
  afterAll(() => server?.stop());

  it("fills every manual-testing GET endpoint", async () => {
    const nonEmpty = async (path: string) => {
      const res = await api.get(path);
      expect(res.status, path).toBe(200);
      const items = Array.isArray(res.body.result) ? res.body.result : [res.body.result];
      expect(items.length, path).toBeGreaterThan(0);
      return items;
    };
    const [milestone] = await nonEmpty(`/projects/${projectId}/milestones`);
    await nonEmpty(`/milestones/${milestone.id}`);
    const runs = await nonEmpty(`/projects/${projectId}/runs`);
    await nonEmpty(`/runs/${runs[0].id}`);
    let results = 0;
    for (const run of runs) results += (await api.get(`/runs/${run.id}/results`)).body.total;
    expect(results).toBeGreaterThan(0);
    const [session] = await nonEmpty(`/projects/${projectId}/sessions`);
    await nonEmpty(`/sessions/${session.id}`);
    await nonEmpty(`/projects/${projectId}/cases`);
    await nonEmpty(`/projects/${projectId}/folders`);
    await nonEmpty(`/projects/${projectId}/automation/sources`);
  });

  it("fills the people, groups, integrations and attachment endpoints too", async () => {
    const list = async (path: string) => {
      const res = await api.get(path);
      expect(res.status, path).toBe(200);
      expect(res.body.result.length, path).toBeGreaterThan(0);
      return res.body.result;
    };
    expect((await list("/users")).length).toBeGreaterThanOrEqual(6);
    const groups = await list("/groups");
    expect(groups.map((g: { name: string }) => g.name)).toEqual(expect.arrayContaining(["Demo QA", "Demo developers"]));
    expect((await api.get(`/groups/${groups[0].id}`)).status).toBe(200);
    await list("/roles");
    await list(`/projects/${projectId}/users`);
    await list("/issues/connections");
    const cases = await list(`/projects/${projectId}/cases?per_page=100`);
    let attachments: { id: number; name: string }[] = [];
    for (const kase of cases) {
      attachments = attachments.concat((await api.get(`/cases/${kase.id}/attachments`)).body.result);
    }
    expect(attachments.map((a) => a.name)).toEqual(expect.arrayContaining(["test-cards.csv", "checkout-notes.txt"]));
    const download = await api.get(`/attachments/${attachments[0]!.id}/download`);
    expect(download.status).toBe(200);
    expect(String(download.body)).toMatch(/visa|staging/);
  });

  it("spreads automation runs from several sources over 30 days, with flaky and slow tests", async () => {
    const sources = (await api.get(`/projects/${projectId}/automation/sources`)).body.result;
    expect(sources.length).toBeGreaterThanOrEqual(3);
    const runs = [];
    for (let page = 1; ; page++) {
      const res = await api.get(`/projects/${projectId}/automation/runs?page=${page}`);
      runs.push(...res.body.result);
      if (res.body.next_page === null) break;
    }
    expect(runs.length).toBeGreaterThan(60);
    const days = new Set(runs.map((r: { created_at: string }) => r.created_at.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(28);
    expect(runs.some((r: { status: number }) => r.status === 3)).toBe(true);
    expect(runs.some((r: { status: number }) => r.status === 2)).toBe(true);
    expect(runs.every((r: { is_completed: boolean }) => r.is_completed)).toBe(true);
    // Runs tagged for a sprint are linked to that sprint's milestone.
    expect(runs.some((r: { milestone_id: number | null }) => r.milestone_id !== null)).toBe(true);
  });

  it("counts the demo's runs and sessions on the project", async () => {
    const project = (await api.get(`/projects/${projectId}`)).body.result;
    expect(project).toMatchObject({ name: "Demo", run_count: 6, session_count: 5, milestone_count: 4 });
    expect(project.run_active_count + project.run_closed_count).toBe(6);
    expect(project.automation_run_count).toBeGreaterThan(60);
  });

  it("refuses to run twice, saying why", async () => {
    await expect(runServerCommand(server, ["demo"])).rejects.toThrow(/already exists.*fresh data directory/);
  });
});
