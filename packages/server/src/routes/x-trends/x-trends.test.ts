import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import {
  createOutsiderToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../../test-support/server-process.js";

interface Figures {
  day: string;
  source_id: number;
  run_count: number;
  failed_run_count: number;
  test_count: number;
  success_count: number;
  failure_count: number;
  tests_elapsed: number;
  wall_elapsed: number;
}

describe.each(BACKENDS)("automation trends on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let project: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    project = Number((await runServerCommand(server, ["project", "create", "--name", "Trends"])).trim());
  });
  afterAll(() => server?.stop());

  /** One run; its tests (status, elapsed µs) in one thread whose elapsed is `threadElapsed`. */
  async function submit(source: string, tests: [string, number][], threadElapsed: number | null, complete = true) {
    const created = await api.post(`/projects/${project}/automation/runs`, { name: `${source} run`, source });
    expect(created.status).toBe(201);
    const runId = created.body.id as number;
    if (threadElapsed !== null) {
      const thread = await api.post(`/automation/runs/${runId}/threads`, { elapsed_computed: threadElapsed });
      const append = await api.post(`/automation/runs/threads/${thread.body.id}/append`, {
        tests: tests.map(([status, elapsed], i) => ({ key: `t${i}`, name: `t${i}`, folder: "f", status, elapsed })),
      });
      expect(append.status, JSON.stringify(append.body)).toBe(204);
    }
    if (complete) expect((await api.post(`/automation/runs/${runId}/complete`, {})).status).toBe(204);
    const run = (await api.get(`/automation/runs/${runId}`)).body.result;
    return { id: runId, source_id: run.source_id as number, day: (run.created_at as string).slice(0, 10) };
  }

  const trends = (query = "") => api.get(`/x/projects/${project}/automation/trends${query}`);

  /** Adds a run's expected figures to its (day, source) entry. */
  function add(
    into: Map<string, Figures>,
    run: { day: string; source_id: number },
    f: Omit<Figures, "day" | "source_id">,
  ) {
    const key = `${run.day}:${run.source_id}`;
    const entry = into.get(key) ?? {
      day: run.day,
      source_id: run.source_id,
      run_count: 0,
      failed_run_count: 0,
      test_count: 0,
      success_count: 0,
      failure_count: 0,
      tests_elapsed: 0,
      wall_elapsed: 0,
    };
    for (const name of Object.keys(f) as (keyof typeof f)[]) entry[name] += f[name];
    into.set(key, entry);
  }

  let sourceA: number;
  let sourceB: number;
  const expected = new Map<string, Figures>();

  it("sums runs, tests and time per UTC day and source, oldest first", async () => {
    const empty = await trends();
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ result: [] });

    // Source A: a failed run, a passed run, and a run still open (no wall time, not failed yet).
    const a1 = await submit(
      "alpha",
      [
        ["passed", 1000],
        ["passed", 1000],
        ["passed", 1000],
        ["failure", 2000],
      ],
      5_000_000,
    );
    add(expected, a1, {
      run_count: 1,
      failed_run_count: 1,
      test_count: 4,
      success_count: 3,
      failure_count: 1,
      tests_elapsed: 5000,
      wall_elapsed: 5_000_000,
    });
    const a2 = await submit(
      "alpha",
      [
        ["passed", 1000],
        ["passed", 1000],
        ["skipped", 1000],
      ],
      3_000_000,
    );
    add(expected, a2, {
      run_count: 1,
      failed_run_count: 0,
      test_count: 3,
      success_count: 2,
      failure_count: 0,
      tests_elapsed: 3000,
      wall_elapsed: 3_000_000,
    });
    const a3 = await submit("alpha", [["failure", 2000]], 9_000_000, false);
    add(expected, a3, {
      run_count: 1,
      failed_run_count: 0,
      test_count: 1,
      success_count: 0,
      failure_count: 1,
      tests_elapsed: 2000,
      wall_elapsed: 0,
    });
    // Source B: one failed run.
    const b1 = await submit(
      "beta",
      [
        ["failure", 500],
        ["error", 500],
      ],
      1_000_000,
    );
    add(expected, b1, {
      run_count: 1,
      failed_run_count: 1,
      test_count: 2,
      success_count: 0,
      failure_count: 2,
      tests_elapsed: 1000,
      wall_elapsed: 1_000_000,
    });
    sourceA = a1.source_id;
    sourceB = b1.source_id;
    expect(sourceA).not.toBe(sourceB);

    const { status, body } = await trends();
    expect(status).toBe(200);
    const want = [...expected.values()]
      .sort((x, y) => (x.day === y.day ? x.source_id - y.source_id : x.day < y.day ? -1 : 1))
      .map((f) => ({
        ...f,
        pass_rate:
          f.success_count + f.failure_count === 0
            ? null
            : Math.round((f.success_count / (f.success_count + f.failure_count)) * 10_000) / 100,
      }));
    expect(body.result).toEqual(want);
    // Both sources the same day (unless the runs straddled midnight UTC): 5 of 7 decided tests passed in A.
    if (a1.day === a3.day) expect(body.result.find((d: Figures) => d.source_id === sourceA).pass_rate).toBe(71.43);
  });

  it("filters by source and counts a run without tests or threads", async () => {
    const only = await trends(`?source_id=${sourceB}&days=1`);
    expect(only.status).toBe(200);
    expect(only.body.result.every((d: Figures) => d.source_id === sourceB)).toBe(true);
    expect(only.body.result.reduce((n: number, d: Figures) => n + d.run_count, 0)).toBe(1);

    const bare = await submit("gamma", [], null);
    const gamma = (await trends(`?source_id=${bare.source_id}`)).body.result;
    expect(gamma).toEqual([
      {
        day: bare.day,
        source_id: bare.source_id,
        run_count: 1,
        failed_run_count: 0,
        test_count: 0,
        success_count: 0,
        failure_count: 0,
        pass_rate: null,
        tests_elapsed: 0,
        wall_elapsed: 0,
      },
    ]);
    expect((await trends(`?source_id=${sourceA},${sourceB}&days=365`)).body.result.length).toBeGreaterThanOrEqual(2);
  });

  it("rejects days out of 1–365 and unknown projects; 403 without access", async () => {
    for (const days of ["0", "366", "x", "1.5"]) {
      const res = await trends(`?days=${days}`);
      expect(res.status, days).toBe(422);
      expect(res.body.message).toContain("days");
    }
    expect((await trends("?source_id=a,b")).status).toBe(422);
    const missing = await api.get("/x/projects/999/automation/trends");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Project 999 does not exist.");
    const token = await createOutsiderToken(server, "outsider@example.com", project);
    const denied = await api.withToken(token).get(`/x/projects/${project}/automation/trends`);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain("Ask");
  });
});
