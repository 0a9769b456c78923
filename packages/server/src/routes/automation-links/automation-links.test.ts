import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

interface Fixture {
  project: number;
  cases: number[];
  automation: number[];
}

describe.each(BACKENDS)("automation links on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let p: Fixture;
  let q: Fixture;

  /** A project with five repository cases and five automation cases (from one run). */
  async function fixture(name: string): Promise<Fixture> {
    const project = Number((await runServerCommand(server, ["project", "create", "--name", name])).trim());
    const created = await api.post(`/projects/${project}/cases`, {
      cases: Array.from({ length: 5 }, (_, i) => ({ name: `${name} case ${i}` })),
    });
    expect(created.status).toBe(201);
    const run = await api.post(`/projects/${project}/automation/runs`, { name: "CI", source: "unit" });
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    const tests = Array.from({ length: 5 }, (_, i) => ({
      key: `t${i}`,
      name: `${name} test ${i}`,
      folder: "f",
      status: "passed",
    }));
    expect((await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests })).status).toBe(204);
    const automation = await api.get(`/projects/${project}/automation/cases?sort=automation_cases:name`);
    return {
      project,
      cases: created.body.result.map((c: { id: number }) => c.id),
      automation: automation.body.result.map((c: { id: number }) => c.id),
    };
  }

  /** The links as each side shows them: case id → automation case ids, automation case id → case ids. */
  async function links(f: Fixture) {
    const cases = await api.get(`/projects/${f.project}/cases?per_page=100&expands=automation_links`);
    const automation = await api.get(`/projects/${f.project}/automation/cases?per_page=100`);
    const fromCases = new Map<number, number[]>(
      cases.body.result.map((c: { id: number; automation_links: number[] }) => [c.id, c.automation_links]),
    );
    const fromAutomation = new Map<number, number[]>(
      automation.body.result.map((c: { id: number; repository_cases: number[] }) => [c.id, c.repository_cases]),
    );
    return { fromCases, fromAutomation, expands: cases.body.expands.automation_links as unknown[] };
  }

  async function linkCount(f: Fixture) {
    const { fromCases, fromAutomation } = await links(f);
    const a = [...fromCases.values()].flat().length;
    const b = [...fromAutomation.values()].flat().length;
    expect(a).toBe(b);
    return a;
  }

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    p = await fixture("P");
    q = await fixture("Q");
  });
  afterAll(() => server?.stop());

  it("links a case to an automation case: both sides show it", async () => {
    const res = await api.post(`/projects/${p.project}/automation-links`, {
      case_id: p.cases[0],
      automation_case_id: p.automation[0],
    });
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    const { fromCases, fromAutomation, expands } = await links(p);
    expect(fromCases.get(p.cases[0]!)).toEqual([p.automation[0]]);
    expect(fromAutomation.get(p.automation[0]!)).toEqual([p.cases[0]]);
    expect(expands).toEqual([
      { automation_source_id: expect.any(Number), automation_case_id: p.automation[0], name: "P test 0" },
    ]);
    // The run's test shows its repository case too.
    const runs = await api.get(`/projects/${p.project}/automation/runs`);
    const tests = await api.get(`/automation/runs/${runs.body.result[0].id}/tests`);
    const linked = tests.body.result.filter(
      (t: { repository_case_id: number | null }) => t.repository_case_id !== null,
    );
    expect(
      linked.map((t: { automation_case_id: number; repository_case_id: number }) => [
        t.automation_case_id,
        t.repository_case_id,
      ]),
    ).toEqual([[p.automation[0], p.cases[0]]]);
  });

  it("is idempotent: linking again is a 204 and adds no second link", async () => {
    const before = await linkCount(p);
    for (let i = 0; i < 2; i++) {
      const res = await api.post(`/projects/${p.project}/automation-links`, {
        case_id: p.cases[0],
        automation_case_id: p.automation[0],
      });
      expect(res.status).toBe(204);
    }
    expect(await linkCount(p)).toBe(before);
    // The same pair twice in one bulk request, and a pair that already exists, are fine too.
    const bulk = await api.post(`/projects/${p.project}/automation-links/bulk`, {
      links: [
        { case_id: p.cases[0], automation_case_id: p.automation[0] },
        { case_id: p.cases[1], automation_case_id: p.automation[1] },
        { case_id: p.cases[1], automation_case_id: p.automation[1] },
      ],
    });
    expect(bulk.status).toBe(204);
    expect(await linkCount(p)).toBe(before + 1);
  });

  it("links many pairs at once, a case to several automation cases and back", async () => {
    const res = await api.post(`/projects/${p.project}/automation-links/bulk`, {
      links: [
        { case_id: p.cases[2], automation_case_id: p.automation[2] },
        { case_id: p.cases[2], automation_case_id: p.automation[3] },
        { case_id: p.cases[3], automation_case_id: p.automation[3] },
      ],
    });
    expect(res.status).toBe(204);
    const { fromCases, fromAutomation } = await links(p);
    expect(fromCases.get(p.cases[2]!)).toEqual([p.automation[2], p.automation[3]].sort((a, b) => a! - b!));
    expect(fromAutomation.get(p.automation[3]!)).toEqual([p.cases[2], p.cases[3]].sort((a, b) => a! - b!));
    // A case PATCH replacing its automation_links is seen from the automation side.
    const patch = await api.request("PATCH", `/projects/${p.project}/cases`, {
      body: { ids: [p.cases[3]], automation_links: [p.automation[4]] },
    });
    expect(patch.status).toBe(200);
    const after = await links(p);
    expect(after.fromAutomation.get(p.automation[3]!)).toEqual([p.cases[2]]);
    expect(after.fromAutomation.get(p.automation[4]!)).toEqual([p.cases[3]]);
  });

  it("bulk is all or nothing: one bad pair among three is a 422 naming it, and nothing is written", async () => {
    const before = await linkCount(p);
    const res = await api.post(`/projects/${p.project}/automation-links/bulk`, {
      links: [
        { case_id: p.cases[4], automation_case_id: p.automation[0] },
        { case_id: 999_999, automation_case_id: p.automation[1] },
        { case_id: p.cases[4], automation_case_id: p.automation[2] },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({
      "links.1.case_id": [
        `Case 999999 does not exist in project ${p.project}. Link a case of this project (GET /projects/${p.project}/cases).`,
      ],
    });
    expect(res.body.message).toBe(`The given data was invalid: ${res.body.errors["links.1.case_id"][0]}`);
    expect(await linkCount(p)).toBe(before);
    expect((await links(p)).fromCases.get(p.cases[4]!)).toEqual([]);

    // Every bad entry is named, both sides of a pair included.
    const many = await api.post(`/projects/${p.project}/automation-links/bulk`, {
      links: [
        { case_id: 999_998, automation_case_id: 999_997 },
        { case_id: p.cases[4], automation_case_id: p.automation[0] },
        { case_id: p.cases[4], automation_case_id: 999_996 },
      ],
    });
    expect(many.status).toBe(422);
    expect(Object.keys(many.body.errors).sort()).toEqual([
      "links.0.automation_case_id",
      "links.0.case_id",
      "links.2.automation_case_id",
    ]);
    expect(many.body.errors["links.2.automation_case_id"][0]).toBe(
      `Automation case 999996 does not exist in project ${p.project}. Link an automation case of this project (GET /projects/${p.project}/automation/cases).`,
    );
    expect(await linkCount(p)).toBe(before);
  });

  it("takes 1 to 500 pairs per bulk request", async () => {
    const pair = { case_id: p.cases[4], automation_case_id: p.automation[4] };
    const tooMany = await api.post(`/projects/${p.project}/automation-links/bulk`, {
      links: Array.from({ length: 501 }, () => pair),
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors.links[0]).toBe("The links field must not have more than 500 items; split the request.");
    const empty = await api.post(`/projects/${p.project}/automation-links/bulk`, { links: [] });
    expect(empty.status).toBe(422);
    expect(Object.keys(empty.body.errors)).toEqual(["links"]);
    expect((await links(p)).fromCases.get(p.cases[4]!)).toEqual([]);
    const max = await api.post(`/projects/${p.project}/automation-links/bulk`, {
      links: Array.from({ length: 500 }, () => pair),
    });
    expect(max.status).toBe(204);
    expect((await links(p)).fromCases.get(p.cases[4]!)).toEqual([p.automation[4]]);
  });

  it("rejects cases and automation cases of another project with 422, in both endpoints", async () => {
    const before = await linkCount(p);
    const foreignCase = await api.post(`/projects/${p.project}/automation-links/bulk`, {
      links: [
        { case_id: p.cases[1], automation_case_id: p.automation[2] },
        { case_id: q.cases[0], automation_case_id: p.automation[0] },
        { case_id: p.cases[1], automation_case_id: q.automation[0] },
      ],
    });
    expect(foreignCase.status).toBe(422);
    expect(Object.keys(foreignCase.body.errors).sort()).toEqual(["links.1.case_id", "links.2.automation_case_id"]);
    expect(foreignCase.body.errors["links.1.case_id"][0]).toContain(
      `Case ${q.cases[0]} does not exist in project ${p.project}`,
    );
    const single = await api.post(`/projects/${p.project}/automation-links`, {
      case_id: q.cases[0],
      automation_case_id: p.automation[0],
    });
    expect(single.status).toBe(422);
    expect(Object.keys(single.body.errors)).toEqual(["case_id"]);
    const singleAutomation = await api.post(`/projects/${p.project}/automation-links`, {
      case_id: p.cases[0],
      automation_case_id: q.automation[0],
    });
    expect(singleAutomation.status).toBe(422);
    expect(singleAutomation.body.errors).toEqual({
      automation_case_id: [
        `Automation case ${q.automation[0]} does not exist in project ${p.project}. Link an automation case of this project (GET /projects/${p.project}/automation/cases).`,
      ],
    });
    expect(await linkCount(p)).toBe(before);
    expect(await linkCount(q)).toBe(0);
  });

  it("validates the body", async () => {
    const url = `/projects/${p.project}/automation-links`;
    const missing = await api.post(url, { case_id: p.cases[0] });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.automation_case_id).toEqual(["The automation_case_id field is required."]);
    expect((await api.post(url, { case_id: "1", automation_case_id: p.automation[0] })).status).toBe(422);
    expect((await api.post(url, { case_id: 0, automation_case_id: p.automation[0] })).status).toBe(422);
    expect((await api.post(url, { case_id: p.cases[0], automation_case_id: p.automation[0], note: "x" })).status).toBe(
      422,
    );
    const bulkItem = await api.post(`${url}/bulk`, { links: [{ case_id: p.cases[0] }] });
    expect(bulkItem.status).toBe(422);
    expect(Object.keys(bulkItem.body.errors)).toEqual(["links.0.automation_case_id"]);
    expect((await api.post(`${url}/bulk`, {})).status).toBe(422);
  });

  it("answers 404 for an unknown project and 403 to read-only users and users without access", async () => {
    const body = { case_id: p.cases[0], automation_case_id: p.automation[0] };
    const missing = await api.post("/projects/999999/automation-links", body);
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Project 999999 does not exist.");
    expect((await api.post("/projects/999999/automation-links/bulk", { links: [body] })).status).toBe(404);

    const reader = api.withToken(await createUserWithToken(server, "reader@example.com", "read-only"));
    for (const res of [
      await reader.post(`/projects/${p.project}/automation-links`, body),
      await reader.post(`/projects/${p.project}/automation-links/bulk`, { links: [body] }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.message).toBe(
        `Your role in project ${p.project} does not allow you to change the case repository. Ask a project manager for a role that does.`,
      );
    }
    const tester = api.withToken(await createUserWithToken(server, "tester@example.com", "tester"));
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(p.project),
      "--email",
      "tester@example.com",
      "--role",
      "none",
    ]);
    const denied = await tester.post(`/projects/${p.project}/automation-links`, body);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain(`You do not have access to project ${p.project}`);
    // The tester keeps their own role in Q and may link there.
    expect(
      (
        await tester.post(`/projects/${q.project}/automation-links`, {
          case_id: q.cases[0],
          automation_case_id: q.automation[0],
        })
      ).status,
    ).toBe(204);
  });

  it("replays a request with the same Idempotency-Key", async () => {
    const body = { links: [{ case_id: p.cases[1], automation_case_id: p.automation[4] }] };
    const headers = { "idempotency-key": `links-${backend}` };
    const first = await api.post(`/projects/${p.project}/automation-links/bulk`, body, { headers });
    expect(first.status).toBe(204);
    const again = await api.post(`/projects/${p.project}/automation-links/bulk`, body, { headers });
    expect(again.status).toBe(204);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});
