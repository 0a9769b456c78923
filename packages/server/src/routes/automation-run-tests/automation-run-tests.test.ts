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
  automation_run_id: number;
  automation_run_thread_id: number;
  automation_case_id: number;
  repository_case_id: number | null;
  key: string;
  name: string;
  folder: string;
  status: number;
  status_id: number;
  elapsed: number | null;
  file: string | null;
  line: number | null;
  assertions: number | null;
  message: string | null;
  failure_group_id: number | null;
  created_at: string;
}

/** Aliases cycled through the run's tests, with their status id and outcome (1 neutral, 2 success, 3 failure). */
const STATUSES = [
  { alias: "passed", statusId: 2, outcome: 2 },
  { alias: "failure", statusId: 3, outcome: 3 },
  { alias: "skipped", statusId: 6, outcome: 1 },
  { alias: "error", statusId: 3, outcome: 3 },
  { alias: "blocked", statusId: 5, outcome: 3 },
  { alias: "retest", statusId: 4, outcome: 1 },
  { alias: "untested", statusId: 1, outcome: 1 },
];

/** Tests with mixed-case names, equal and missing elapsed times, and a failure message on failures. */
function tests(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const status = STATUSES[i % STATUSES.length]!;
    const failed = status.outcome === 3;
    return {
      key: `${prefix}${i}`,
      name: `${i % 3 === 0 ? "Test" : "test"} ${prefix} ${(i * 7) % count}`,
      folder: `suite.${i % 4}`,
      status: status.alias,
      ...(i % 5 === 0 ? {} : { elapsed: ((i * 37) % 9) * 1000 }),
      file: "tests/example.spec.ts",
      line: i + 1,
      assertions: 2,
      artifacts: [],
      fields: failed
        ? [
            {
              type: 4,
              name: "Failure",
              value: `expected ${i} to be ${i + 1}\n    at spec.ts:1`,
              meta: { message: `expected ${i} to be ${i + 1}` },
            },
          ]
        : [],
    };
  });
}

type Compare = (a: Item, b: Item) => number;
const byNumber =
  (f: (x: Item) => number): Compare =>
  (a, b) =>
    f(a) - f(b);
/** Code point order, as both databases sort names. */
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

/** Each sort's order (ascending); null elapsed is the lowest value. */
const SORTS: Record<string, Compare> = {
  "automation_run_tests:id": byId,
  "automation_run_tests:name": then(
    byText((x) => x.name),
    byId,
  ),
  "automation_run_tests:status": then(
    byNumber((x) => x.status),
    byNumber((x) => x.status_id),
    byId,
  ),
  "automation_run_tests:elapsed": then(
    byNumber((x) => x.elapsed ?? -1),
    byId,
  ),
  "automation_run_tests:created_at": then(
    byText((x) => x.created_at),
    byId,
  ),
};

describe.each(BACKENDS)("automation run tests on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let runId: number;
  let threads: number[];
  let otherRunThread: number;
  /** every test of the run, in id order */
  let all: Item[];

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    const run = await api.post("/projects/1/automation/runs", { name: "Nightly", source: "web" });
    runId = run.body.id;
    threads = [];
    for (let i = 0; i < 2; i++) threads.push((await api.post(`/automation/runs/${runId}/threads`, {})).body.id);
    // Three appends: thread 1 twice (later tests get a later created_at), thread 2 once.
    for (const [thread, prefix, count] of [
      [threads[0]!, "a", 90],
      [threads[1]!, "b", 70],
      [threads[0]!, "c", 50],
    ] as const) {
      const res = await api.post(`/automation/runs/threads/${thread}/append`, { tests: tests(prefix, count) });
      expect(res.status).toBe(204);
    }
    const other = await api.post("/projects/1/automation/runs", { name: "Other", source: "web" });
    otherRunThread = (await api.post(`/automation/runs/${other.body.id}/threads`, {})).body.id;
    await api.post(`/automation/runs/threads/${otherRunThread}/append`, { tests: tests("a", 5) });
    const res = await api.get(`/automation/runs/${runId}/tests?per_page=1000&sort=automation_run_tests:id&order=asc`);
    expect(res.status).toBe(200);
    all = res.body.result;
  });
  afterAll(() => server?.stop());

  async function listAll(query: string): Promise<Item[]> {
    const res = await api.get(`/automation/runs/${runId}/tests?per_page=1000&${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.total).toBe(res.body.result.length);
    return res.body.result;
  }

  it("lists the run's tests with their outcome, result status, case and details", async () => {
    expect(all).toHaveLength(210);
    const first = all[0]!;
    expect(first).toEqual({
      id: first.id,
      project_id: 1,
      automation_run_id: runId,
      automation_run_thread_id: threads[0],
      automation_case_id: first.automation_case_id,
      repository_case_id: null,
      key: "a0",
      name: "Test a 0",
      folder: "suite.0",
      status: 2,
      status_id: 2,
      elapsed: null,
      file: "tests/example.spec.ts",
      line: 1,
      assertions: 2,
      message: null,
      failure_group_id: null,
      created_at: first.created_at,
    });
    expect(new Date(first.created_at).toISOString()).toBe(first.created_at);
    const failed = all.find((t) => t.key === "a1")!;
    expect(failed).toMatchObject({ status: 3, status_id: 3, elapsed: 1000, message: "expected 1 to be 2" });
    expect(failed.failure_group_id).toBeGreaterThan(0);
    // Each alias maps to its status id and outcome.
    for (const [i, s] of STATUSES.entries()) {
      expect(
        all.find((t) => t.key === `b${i}`),
        s.alias,
      ).toMatchObject({ status_id: s.statusId, status: s.outcome });
    }
    // The same key in another run is the same automation case; ids match the cases list.
    const cases = await api.get("/projects/1/automation/cases?per_page=100&name=Test%20a%200");
    expect(cases.body.result.map((c: { id: number }) => c.id)).toContain(first.automation_case_id);
  });

  it("defaults to 100 per page, newest first, and pages through every test once", async () => {
    const first = await api.get(`/automation/runs/${runId}/tests`);
    expect(first.body).toMatchObject({
      page: 1,
      prev_page: null,
      next_page: 2,
      last_page: 3,
      per_page: 100,
      total: 210,
    });
    expect(first.body.result.map((t: Item) => t.id)).toEqual(
      all
        .map((t) => t.id)
        .reverse()
        .slice(0, 100),
    );
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await api.get(`/automation/runs/${runId}/tests?page=${page}&order=asc`);
      expect(res.body).toMatchObject({
        page,
        prev_page: page > 1 ? page - 1 : null,
        next_page: page < 3 ? page + 1 : null,
        last_page: 3,
        total: 210,
      });
      seen.push(...res.body.result.map((t: Item) => t.id));
    }
    expect(seen).toEqual(all.map((t) => t.id));
    const past = await api.get(`/automation/runs/${runId}/tests?page=4`);
    expect(past.body).toMatchObject({ page: 4, next_page: null, last_page: 3, total: 210, result: [] });
    const big = await api.get(`/automation/runs/${runId}/tests?per_page=250`);
    expect(big.body).toMatchObject({ page: 1, next_page: null, last_page: 1, per_page: 250 });
    expect(big.body.result).toHaveLength(210);
    for (const perPage of [500, 1000]) {
      expect((await api.get(`/automation/runs/${runId}/tests?per_page=${perPage}`)).body.per_page).toBe(perPage);
    }
    // No expands on this list.
    expect(big.body.expands).toBeUndefined();
  });

  it("rejects page sizes other than 100, 250, 500 and 1000, naming them", async () => {
    for (const perPage of ["15", "50", "99", "101", "2000", "abc"]) {
      const res = await api.get(`/automation/runs/${runId}/tests?per_page=${perPage}`);
      expect(res.status, perPage).toBe(422);
      expect(res.body.errors.per_page[0], perPage).toMatch(/per_page/);
      if (perPage !== "abc") expect(res.body.errors.per_page[0]).toContain("100, 250, 500, 1000");
    }
  });

  it("sorts by every documented column in both orders, ties by id", async () => {
    for (const [sort, compare] of Object.entries(SORTS)) {
      const ascending = [...all].sort(compare).map((t) => t.id);
      expect(
        (await listAll(`sort=${sort}&order=asc`)).map((t) => t.id),
        `${sort} asc`,
      ).toEqual(ascending);
      expect(
        (await listAll(`sort=${sort}&order=desc`)).map((t) => t.id),
        `${sort} desc`,
      ).toEqual([...ascending].reverse());
      // Without order: descending.
      expect(
        (await listAll(`sort=${sort}`)).map((t) => t.id),
        `${sort} default`,
      ).toEqual([...ascending].reverse());
    }
    // The data really exercises the tie-breaks and nulls.
    expect(all.filter((t) => t.elapsed === null).length).toBeGreaterThan(10);
    const byName = await listAll("sort=automation_run_tests:name&order=asc");
    expect(byName[0]!.name.startsWith("Test")).toBe(true);
    const byStatus = await listAll("sort=automation_run_tests:status&order=desc");
    expect(byStatus.slice(0, 3).map((t) => [t.status, t.status_id])).toEqual([
      [3, 5],
      [3, 5],
      [3, 5],
    ]);
    // Paging a sorted list gives the same order as one big page.
    const page2 = await api.get(`/automation/runs/${runId}/tests?sort=automation_run_tests:elapsed&order=asc&page=2`);
    expect(page2.body.result.map((t: Item) => t.id)).toEqual(
      [...all]
        .sort(SORTS["automation_run_tests:elapsed"])
        .slice(100, 200)
        .map((t) => t.id),
    );
  });

  it("rejects unknown sorts and orders with the allowed values", async () => {
    const sort = await api.get(`/automation/runs/${runId}/tests?sort=automation_run_tests:key`);
    expect(sort.status).toBe(422);
    expect(sort.body.errors.sort[0]).toContain(
      "automation_run_tests:id, automation_run_tests:name, automation_run_tests:status, automation_run_tests:elapsed, automation_run_tests:created_at",
    );
    const bare = await api.get(`/automation/runs/${runId}/tests?sort=name`);
    expect(bare.status).toBe(422);
    const order = await api.get(`/automation/runs/${runId}/tests?order=up`);
    expect(order.status).toBe(422);
    expect(order.body.errors.order[0]).toContain("asc, desc");
  });

  it("filters by thread; a thread of another run or no thread at all is a 422", async () => {
    const second = await listAll(`thread_id=${threads[1]}&order=asc`);
    expect(second.map((t) => t.id)).toEqual(
      all.filter((t) => t.automation_run_thread_id === threads[1]).map((t) => t.id),
    );
    expect(second).toHaveLength(70);
    expect(await listAll(`thread_id=${threads[0]}`)).toHaveLength(140);
    for (const threadId of [otherRunThread, 999_999]) {
      const res = await api.get(`/automation/runs/${runId}/tests?thread_id=${threadId}`);
      expect(res.status).toBe(422);
      expect(res.body.errors.thread_id[0]).toBe(
        `Thread ${threadId} is not a thread of automation run ${runId}. Use the id of one of the run's threads (\`threads\` of GET /automation/runs/${runId}).`,
      );
    }
    for (const bad of ["abc", "0", "1,2"]) {
      const res = await api.get(`/automation/runs/${runId}/tests?thread_id=${bad}`);
      expect(res.status, bad).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(["thread_id"]);
    }
  });

  it("filters by outcome: 1 neutral, 2 success, 3 failure, 4 running (none)", async () => {
    const ids = (items: Item[]) => items.map((t) => t.id).sort((a, b) => a - b);
    const withOutcome = (...outcomes: number[]) => ids(all.filter((t) => outcomes.includes(t.status)));
    const success = await listAll("status_id=2");
    expect(success.every((t) => t.status_id === 2)).toBe(true);
    expect(ids(success)).toEqual(withOutcome(2));
    const failure = await listAll("status_id=3");
    expect(new Set(failure.map((t) => t.status_id))).toEqual(new Set([3, 5]));
    expect(ids(failure)).toEqual(withOutcome(3));
    const neutral = await listAll("status_id=1");
    expect(new Set(neutral.map((t) => t.status_id))).toEqual(new Set([1, 4, 6]));
    expect(ids(neutral)).toEqual(withOutcome(1));
    expect(ids(await listAll("status_id=2,3"))).toEqual(withOutcome(2, 3));
    expect(ids(await listAll("status_id=1, 2 ,3"))).toEqual(ids(all));
    const running = await api.get(`/automation/runs/${runId}/tests?status_id=4`);
    expect(running.body).toMatchObject({ total: 0, page: null, last_page: null, result: [] });
    expect(ids(await listAll("status_id=4,2"))).toEqual(withOutcome(2));
    // Combined with a thread and a sort.
    const combined = await listAll(`status_id=3&thread_id=${threads[1]}&sort=automation_run_tests:elapsed&order=asc`);
    expect(combined.map((t) => t.id)).toEqual(
      all
        .filter((t) => t.status === 3 && t.automation_run_thread_id === threads[1])
        .sort(SORTS["automation_run_tests:elapsed"])
        .map((t) => t.id),
    );
    for (const bad of ["5", "0", "2,9"]) {
      const res = await api.get(`/automation/runs/${runId}/tests?status_id=${bad}`);
      expect(res.status, bad).toBe(422);
      expect(res.body.errors.status_id[0]).toContain("1 (neutral");
    }
    const malformed = await api.get(`/automation/runs/${runId}/tests?status_id=success`);
    expect(malformed.status).toBe(422);
    expect(malformed.body.errors.status_id[0]).toContain("comma-separated list");
  });

  it("shows the lowest linked repository case of each test's automation case", async () => {
    const test = all.find((t) => t.key === "b3")!;
    const created = await api.post("/projects/1/cases", { cases: [{ name: "Login one" }, { name: "Login two" }] });
    const [low, high] = created.body.result.map((c: { id: number }) => c.id) as [number, number];
    expect(
      (await api.post("/projects/1/automation-links", { case_id: high, automation_case_id: test.automation_case_id }))
        .status,
    ).toBe(204);
    let items = await listAll(`thread_id=${threads[1]}`);
    expect(items.find((t) => t.id === test.id)!.repository_case_id).toBe(high);
    await api.post("/projects/1/automation-links", { case_id: low, automation_case_id: test.automation_case_id });
    items = await listAll(`thread_id=${threads[1]}`);
    expect(items.find((t) => t.id === test.id)!.repository_case_id).toBe(low);
    expect(items.filter((t) => t.repository_case_id !== null).map((t) => t.id)).toEqual([test.id]);
  });

  it("answers 404 for an unknown run and 403 without access; read-only users may read", async () => {
    const missing = await api.get("/automation/runs/999999/tests");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Automation run 999999 does not exist.");
    expect((await api.get("/automation/runs/0/tests")).status).toBe(422);
    const reader = await createUserWithToken(server, "reader@example.com", "read-only");
    expect((await api.withToken(reader).get(`/automation/runs/${runId}/tests`)).status).toBe(200);
    const outsider = await createUserWithToken(server, "outsider@example.com", "tester");
    await runServerCommand(server, [
      "project",
      "access",
      "--project",
      "1",
      "--email",
      "outsider@example.com",
      "--role",
      "none",
    ]);
    const denied = await api.withToken(outsider).get(`/automation/runs/${runId}/tests`);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain("You do not have access to project 1");
    expect(JSON.stringify(denied.body)).not.toContain("Test a");
    expect((await api.withToken(null).get(`/automation/runs/${runId}/tests`)).status).toBe(401);
  });
});
