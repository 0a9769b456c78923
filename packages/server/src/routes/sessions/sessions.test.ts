import { NamedExpand, Page, Row, Session, StateExpand, TemplateExpand } from "@assay/api";
import { Value } from "typebox/value";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient, type WithCounters } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

const SessionPage = Page(Session);
const SessionRow = Row(Session);

describe.each(BACKENDS)("sessions on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let projectId: number;
  let sessions: WithCounters<Session>[];

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    const out = await runServerCommand(server, ["demo"]);
    projectId = Number(/id (\d+)/.exec(out)![1]);
    sessions = (await api.get(`/projects/${projectId}/sessions`)).body.result;
  }, 60_000);
  afterAll(() => server?.stop());

  it("lists sessions with every expand, valid against the shared schema", async () => {
    const res = await api.get(
      `/projects/${projectId}/sessions?expands=configs,field_values,issues,milestones,states,statuses,templates,users`,
    );
    expect(res.status).toBe(200);
    expect(Value.Check(SessionPage, res.body)).toBe(true);
    expect(res.body.total).toBe(5);
    const { expands } = res.body;
    for (const name of ["configs", "milestones", "users"]) {
      expect(expands[name].length).toBeGreaterThan(0);
      for (const item of expands[name]) expect(Value.Check(NamedExpand, item)).toBe(true);
    }
    for (const t of expands.templates) expect(Value.Check(TemplateExpand, t)).toBe(true);
    for (const s of expands.states) expect(Value.Check(StateExpand, s)).toBe(true);
    expect(expands.templates).toHaveLength(2);
    expect(expands.field_values).toEqual([]);
    for (const session of sessions) {
      expect(session.total_count).toBeGreaterThan(0);
      expect(session.is_started).toBe(true);
      expect(session.elapsed).toBeGreaterThan(0);
    }
  });

  it("applies every filter", async () => {
    const base = `/projects/${projectId}/sessions`;
    const count = async (query: string) => (await api.get(`${base}?${query}`)).body.total as number;
    expect(await count("is_closed=true")).toBe(sessions.filter((s) => s.is_closed).length);
    expect(await count("is_closed=false")).toBe(sessions.filter((s) => !s.is_closed).length);
    const assignee = sessions[0]!.assignee_id!;
    expect(await count(`assignee_id=${assignee}`)).toBe(sessions.filter((s) => s.assignee_id === assignee).length);
    const config = sessions[0]!.config_id!;
    expect(await count(`config_id=${config}`)).toBe(sessions.filter((s) => s.config_id === config).length);
    const milestone = sessions.find((s) => s.milestone_id)!.milestone_id!;
    expect(await count(`milestone_id=${milestone}`)).toBe(sessions.filter((s) => s.milestone_id === milestone).length);
    expect(await count(`state_id=${sessions[0]!.state_id}`)).toBe(5);
    expect(await count("tags=exploratory")).toBe(5);
    expect(await count("tags=nope")).toBe(0);
    const template = sessions[0]!.template_id;
    expect(await count(`template_id=${template}`)).toBe(sessions.filter((s) => s.template_id === template).length);
    expect(await count(`created_by=${sessions[0]!.created_by}`)).toBe(5);
    const cut = sessions[2]!.created_at;
    expect(await count(`created_after=${encodeURIComponent(cut)}`)).toBe(3);
    expect(await count(`created_before=${encodeURIComponent(cut)}`)).toBe(3);
    expect(await count("closed_after=2000-01-01T00:00:00Z&closed_before=2999-01-01T00:00:00Z")).toBe(
      sessions.filter((s) => s.is_closed).length,
    );
  });

  it("sorts by closed_at with open sessions last", async () => {
    const res = await api.get(`/projects/${projectId}/sessions?sort=sessions:closed_at&order=asc`);
    const closedAt = res.body.result.map((s: Session) => s.closed_at);
    const closed = closedAt.filter((c: string | null) => c !== null);
    expect(closedAt.slice(0, closed.length)).toEqual([...closed].sort());
  });

  it("GET /sessions/{id} returns the row envelope; 404, 422, 401, 403 otherwise", async () => {
    const one = await api.get(`/sessions/${sessions[0]!.id}?expands=templates,users`);
    expect(one.status).toBe(200);
    expect(Value.Check(SessionRow, one.body)).toBe(true);
    expect(one.body.result).toEqual(sessions[0]);
    expect((await api.get("/sessions/99999")).status).toBe(404);
    const bad = await api.get(`/sessions/${sessions[0]!.id}?expands=milestone_stats`);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.expands[0]).toContain("field_values");
    expect((await api.get(`/projects/${projectId}/sessions?sort=sessions:name`)).status).toBe(422);
    expect((await api.get(`/projects/${projectId}/sessions?per_page=1`)).status).toBe(422);
    expect((await api.get("/projects/99999/sessions")).status).toBe(404);
    expect((await api.get(`/sessions/${sessions[0]!.id}`, { token: null })).status).toBe(401);
    const token = await createUserWithToken(server, "outsider-sessions@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(projectId),
      "--email",
      "outsider-sessions@example.com",
      "--role",
      "none",
    ]);
    const outsider = api.withToken(token);
    expect((await outsider.get(`/projects/${projectId}/sessions`)).status).toBe(403);
    expect((await outsider.get(`/sessions/${sessions[0]!.id}`)).status).toBe(403);
  });
});
