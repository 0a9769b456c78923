import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

interface Item {
  id: number;
  project_id: number;
  source_id: number;
  key: string;
  name: string;
  folder: string;
  status: number;
  elapsed_average: number;
  failure_count: number;
  flaky_percent: number;
  result_count: number;
  repository_cases: number[];
  last_run_id: number | null;
  last_result_at: string | null;
  created_at: string;
}

interface Spec {
  key: string;
  name: string;
  folder: string;
  /** one alias per run of the first source, in order; "-" leaves the test out of that run */
  results: string[];
  elapsed?: (number | null)[];
}

/** Tests of source "first" across three runs; names and folders exercise sorting and the filters. */
const FIRST: Spec[] = [
  {
    key: "stable",
    name: "Stable login",
    folder: "auth",
    results: ["passed", "passed", "passed"],
    elapsed: [100, 300, 200],
  },
  {
    key: "flappy",
    name: "flappy checkout",
    folder: "shop",
    results: ["passed", "failure", "passed"],
    elapsed: [300, 500, 100],
  },
  {
    key: "broken",
    name: "Broken cart",
    folder: "shop.cart",
    results: ["failure", "error", "failure"],
    elapsed: [200, 400, 600],
  },
  { key: "skipper", name: "skipped thing", folder: "shop", results: ["skipped", "skipped", "skipped"] },
  { key: "pct", name: "100% done", folder: "misc", results: ["passed", "-", "-"], elapsed: [50] },
  { key: "pctx", name: "100x done", folder: "misc", results: ["passed", "-", "-"] },
  { key: "snake", name: "snake_case test", folder: "misc", results: ["passed", "-", "-"] },
  { key: "snakx", name: "snakeXcase test", folder: "misc", results: ["passed", "-", "-"] },
];

type Compare = (a: Item, b: Item) => number;
const byNumber =
  (f: (x: Item) => number): Compare =>
  (a, b) =>
    f(a) - f(b);
const byText =
  (f: (x: Item) => string): Compare =>
  (a, b) =>
    f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0;
const then =
  (...compares: Compare[]): Compare =>
  (a, b) => {
    for (const c of compares) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
const byId = byNumber((x) => x.id);

/** Ascending order of each sort; the same in reverse for desc (ties by id in the same direction). */
const SORTS: Record<string, Compare> = {
  "automation_sources:created_at": then(
    byNumber((x) => x.source_id),
    byId,
  ),
  "automation_cases:name": then(
    byText((x) => x.name),
    byId,
  ),
  "automation_cases:elapsed_average": then(
    byNumber((x) => x.elapsed_average),
    byId,
  ),
  "automation_cases:failure_count": then(
    byNumber((x) => x.failure_count),
    byId,
  ),
  "automation_cases:flaky_percent": then(
    byNumber((x) => x.flaky_percent),
    byId,
  ),
};

describe.each(BACKENDS)("automation cases on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let project: number;
  let base: string;
  const sources: Record<string, number> = {};
  const runIds: number[] = [];
  let all: Item[];

  async function submit(source: string, tests: Record<string, unknown>[]) {
    const run = await api.post(`/projects/${project}/automation/runs`, { name: `${source} run`, source });
    expect(run.status).toBe(201);
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    const append = await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests });
    expect(append.status, JSON.stringify(append.body)).toBe(204);
    expect((await api.post(`/automation/runs/${run.body.id}/complete`, {})).status).toBe(204);
    return run.body.id as number;
  }

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    project = Number((await runServerCommand(server, ["project", "create", "--name", "Cases"])).trim());
    base = `/projects/${project}/automation/cases`;
    for (let run = 0; run < 3; run++) {
      const tests = FIRST.filter((s) => s.results[run] !== "-").map((s) => ({
        key: s.key,
        name: s.name,
        folder: s.folder,
        status: s.results[run],
        ...(s.elapsed?.[run] != null ? { elapsed: s.elapsed[run] } : {}),
      }));
      runIds.push(await submit("first", tests));
    }
    // A second source, created after the first, and fillers so that lists span pages.
    runIds.push(
      await submit("second", [
        { key: "other", name: "Other source test", folder: "auth", status: "failure", elapsed: 1000 },
        ...Array.from({ length: 30 }, (_, i) => ({
          key: `filler${i}`,
          name: `Filler ${String(i).padStart(2, "0")}`,
          folder: "fill",
          status: "passed",
          elapsed: 10 * (i % 3),
        })),
      ]),
    );
    const listed = await api.get(`/projects/${project}/automation/sources`);
    for (const s of listed.body.result as { id: number; name: string }[]) sources[s.name] = s.id;
    const res = await api.get(`${base}?per_page=100`);
    expect(res.status).toBe(200);
    all = res.body.result;
    // Another project's cases never show up here.
    await api.post("/projects/1/automation/runs", { name: "elsewhere", source: "first" });
  });
  afterAll(() => server?.stop());

  async function listAll(query: string): Promise<Item[]> {
    const res = await api.get(`${base}?per_page=100&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(res.body.result.length);
    return res.body.result;
  }
  const byKey = (key: string) => all.find((c) => c.key === key)!;
  const keys = (items: Item[]) => items.map((c) => c.key).sort();

  it("lists the project's automation cases with the aggregates of their results", async () => {
    expect(all).toHaveLength(FIRST.length + 31);
    expect(sources.first).toBeLessThan(sources.second!);
    const stable = byKey("stable");
    expect(stable).toEqual({
      id: stable.id,
      project_id: project,
      source_id: sources.first,
      key: "stable",
      name: "Stable login",
      folder: "auth",
      status: 2,
      elapsed_average: 200,
      failure_count: 0,
      flaky_percent: 0,
      result_count: 3,
      repository_cases: [],
      last_run_id: runIds[2],
      last_result_at: stable.last_result_at,
      created_at: stable.created_at,
    });
    expect(new Date(stable.last_result_at!).toISOString()).toBe(stable.last_result_at);
    expect(byKey("flappy")).toMatchObject({ status: 2, failure_count: 1, result_count: 3, elapsed_average: 300 });
    expect(byKey("flappy").flaky_percent).toBe(100);
    expect(byKey("broken")).toMatchObject({ status: 3, failure_count: 3, elapsed_average: 400, flaky_percent: 0 });
    expect(byKey("skipper")).toMatchObject({ status: 1, failure_count: 0, result_count: 3, elapsed_average: 0 });
    expect(byKey("pct")).toMatchObject({ status: 2, result_count: 1, last_run_id: runIds[0], elapsed_average: 50 });
    expect(byKey("other")).toMatchObject({ source_id: sources.second, status: 3, failure_count: 1 });
  });

  it("defaults to source order (sources by creation, then cases by id), ascending", async () => {
    const ascending = [...all].sort(SORTS["automation_sources:created_at"]).map((c) => c.id);
    expect(all.map((c) => c.id)).toEqual(ascending);
    expect((await listAll("order=desc")).map((c) => c.id)).toEqual([...ascending].reverse());
  });

  it("sorts by every documented column in both orders, ties by id", async () => {
    for (const [sort, compare] of Object.entries(SORTS)) {
      const ascending = [...all].sort(compare).map((c) => c.id);
      expect(
        (await listAll(`sort=${sort}`)).map((c) => c.id),
        `${sort} default (asc)`,
      ).toEqual(ascending);
      expect(
        (await listAll(`sort=${sort}&order=asc`)).map((c) => c.id),
        `${sort} asc`,
      ).toEqual(ascending);
      expect(
        (await listAll(`sort=${sort}&order=desc`)).map((c) => c.id),
        `${sort} desc`,
      ).toEqual([...ascending].reverse());
    }
    // Names by code point: upper case before lower case, "%" before "x", "X" before "_".
    const names = (await listAll("sort=automation_cases:name")).map((c) => c.name);
    expect(names.filter((n) => !n.startsWith("Filler"))).toEqual([
      "100% done",
      "100x done",
      "Broken cart",
      "Other source test",
      "Stable login",
      "flappy checkout",
      "skipped thing",
      "snakeXcase test",
      "snake_case test",
    ]);
    expect((await listAll("sort=automation_cases:flaky_percent&order=desc"))[0]!.key).toBe("flappy");
    expect((await listAll("sort=automation_cases:failure_count&order=desc"))[0]!.key).toBe("broken");
    expect((await listAll("sort=automation_cases:elapsed_average&order=desc"))[0]!.key).toBe("other");
  });

  it("pages with 15, 25, 50 or 100 per page and rejects other sizes naming them", async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await api.get(`${base}?per_page=15&page=${page}`);
      expect(res.body).toMatchObject({
        page,
        prev_page: page > 1 ? page - 1 : null,
        next_page: page < 3 ? page + 1 : null,
        last_page: 3,
        per_page: 15,
        total: 39,
      });
      seen.push(...res.body.result.map((c: Item) => c.id));
    }
    expect(seen).toEqual(all.map((c) => c.id));
    expect((await api.get(`${base}?per_page=25&page=2`)).body.result).toHaveLength(14);
    expect((await api.get(base)).body.per_page).toBe(100);
    expect((await api.get(`${base}?page=9`)).body).toMatchObject({ page: 9, last_page: 1, result: [] });
    for (const perPage of ["10", "1000", "250"]) {
      const res = await api.get(`${base}?per_page=${perPage}`);
      expect(res.status, perPage).toBe(422);
      expect(res.body.errors.per_page[0]).toContain("15, 25, 50, 100");
    }
  });

  it("rejects unknown sorts, orders and expands, naming the allowed values", async () => {
    const sort = await api.get(`${base}?sort=automation_cases:created_at`);
    expect(sort.status).toBe(422);
    expect(sort.body.errors.sort[0]).toContain(
      "automation_sources:created_at, automation_cases:name, automation_cases:elapsed_average, automation_cases:failure_count, automation_cases:flaky_percent",
    );
    expect((await api.get(`${base}?order=newest`)).status).toBe(422);
    const expands = await api.get(`${base}?expands=users`);
    expect(expands.status).toBe(422);
    expect(expands.body.errors.expands[0]).toBe(
      'Unknown expands value "users". Allowed: automation_sources, repository_cases.',
    );
  });

  it("filters by source, latest status, name and folder", async () => {
    expect(keys(await listAll(`source_id=${sources.second}`))).toEqual(
      keys(all.filter((c) => c.source_id === sources.second)),
    );
    expect(await listAll(`source_id=${sources.first},${sources.second}`)).toHaveLength(all.length);
    expect(await listAll("source_id=999999")).toHaveLength(0);
    expect((await api.get(`${base}?source_id=first`)).status).toBe(422);

    expect(keys(await listAll("status=3"))).toEqual(["broken", "other"]);
    expect(keys(await listAll("status=1"))).toEqual(["skipper"]);
    expect(await listAll("status=2")).toHaveLength(all.length - 3);
    expect(keys(await listAll("status=1,3"))).toEqual(["broken", "other", "skipper"]);
    expect(await listAll("status=4")).toHaveLength(0);
    for (const bad of ["5", "0", "1,7"]) {
      const res = await api.get(`${base}?status=${bad}`);
      expect(res.status, bad).toBe(422);
      expect(res.body.errors.status[0]).toContain("4 (running)");
    }

    // Substring, ignoring case; % and _ are plain characters.
    expect(keys(await listAll("name=FLAPPY"))).toEqual(["flappy"]);
    expect(keys(await listAll("name=done"))).toEqual(["pct", "pctx"]);
    expect(keys(await listAll(`name=${encodeURIComponent("100%")}`))).toEqual(["pct"]);
    expect(keys(await listAll("name=snake_"))).toEqual(["snake"]);
    expect(keys(await listAll("name=e_c"))).toEqual(["snake"]);
    expect(await listAll("name=nothing%20like%20this")).toHaveLength(0);

    // Folder: the whole folder, exactly.
    expect(keys(await listAll("folder=shop"))).toEqual(["flappy", "skipper"]);
    expect(keys(await listAll("folder=shop.cart"))).toEqual(["broken"]);
    expect(await listAll("folder=Shop")).toHaveLength(0);
    expect(await listAll("folder=sho")).toHaveLength(0);

    // Combined.
    expect(keys(await listAll(`folder=auth&status=3&source_id=${sources.second}`))).toEqual(["other"]);
  });

  it("expands sources and linked repository cases", async () => {
    const created = await api.post(`/projects/${project}/cases`, {
      cases: [{ name: "Checkout works" }, { name: "Cart works" }],
    });
    const [checkout, cart] = created.body.result.map((c: { id: number }) => c.id) as [number, number];
    const links = await api.post(`/projects/${project}/automation-links/bulk`, {
      links: [
        { case_id: cart, automation_case_id: byKey("flappy").id },
        { case_id: checkout, automation_case_id: byKey("flappy").id },
        { case_id: cart, automation_case_id: byKey("broken").id },
      ],
    });
    expect(links.status).toBe(204);
    const res = await api.get(`${base}?folder=shop&expands=automation_sources,repository_cases`);
    expect(res.status).toBe(200);
    const flappy = res.body.result.find((c: Item) => c.key === "flappy");
    expect(flappy.repository_cases).toEqual([checkout, cart].sort((a, b) => a - b));
    expect(res.body.result.find((c: Item) => c.key === "skipper").repository_cases).toEqual([]);
    expect(res.body.expands).toEqual({
      automation_sources: [{ id: sources.first, name: "first" }],
      repository_cases: [
        { id: checkout, name: "Checkout works" },
        { id: cart, name: "Cart works" },
      ].sort((a, b) => a.id - b.id),
    });
    const none = await api.get(`${base}?folder=misc`);
    expect(none.body.expands).toEqual({});
    const both = await api.get(`${base}?expands=automation_sources`);
    expect(both.body.expands.automation_sources).toEqual([
      { id: sources.first, name: "first" },
      { id: sources.second, name: "second" },
    ]);
  });

  it("answers 404 for an unknown project and 403 without access; read-only users may read", async () => {
    const missing = await api.get("/projects/999999/automation/cases");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Project 999999 does not exist.");
    const reader = await createUserWithToken(server, "reader@example.com", "read-only");
    expect((await api.withToken(reader).get(base)).status).toBe(200);
    const outsider = await createUserWithToken(server, "outsider@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      String(project),
      "--email",
      "outsider@example.com",
      "--role",
      "none",
    ]);
    const denied = await api.withToken(outsider).get(base);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain(`You do not have access to project ${project}`);
    // Project 1 has its own (empty) list for the outsider.
    expect((await api.withToken(outsider).get("/projects/1/automation/cases")).body.total).toBe(0);
  });
});
