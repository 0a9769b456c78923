import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../test-support/backends.js";
import { ApiClient } from "../test-support/http.js";
import { startServerProcess, type TestServer } from "../test-support/server-process.js";

/**
 * Parallel threads of one source reporting the same new tests in different
 * orders: every append must succeed (no deadlock surfaces) and every
 * aggregate must count every result exactly once (no lost update).
 */
describe.each(BACKENDS)("concurrent appends of the same tests on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_RATE_LIMIT_REQUESTS: "100000" } });
    api = new ApiClient(server.url, server.token);
  });
  afterAll(() => server?.stop());

  it("stores 8 appends of the same 2,000 new keys, shuffled, in parallel", async () => {
    const run = await api.post("/projects/1/automation/runs", { name: "parallel", source: "race" });
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i.toString(36)}`);
    const appends = Array.from({ length: 8 }, async (_, n) => {
      const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
      // Each thread sends the keys in another order (rotated, half of them reversed).
      const order = [...keys.slice(n * 250), ...keys.slice(0, n * 250)];
      if (n % 2 === 1) order.reverse();
      const tests = order.map((key) => ({
        key,
        name: key,
        folder: "race",
        status: n % 4 === 0 ? "failure" : "passed",
        elapsed: 1000 * (n + 1),
        fields: [{ type: 4, name: "Failure", value: `boom ${n}` }],
      }));
      return api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests });
    });
    const statuses = (await Promise.all(appends)).map((r) => r.status);
    expect(statuses).toEqual(Array(8).fill(204));

    const cases = await api.get("/projects/1/automation/cases?per_page=100&source_id=" + (await sourceId()));
    expect(cases.body.total).toBe(2000);
    for (const c of cases.body.result) {
      // 8 results each: 2 failed (threads 0 and 4), 6 passed; mean of 1…8 ms
      expect(c).toMatchObject({ result_count: 8, failure_count: 2, elapsed_average: 4500 });
    }
    const groups = await api.get(`/x/automation/runs/${run.body.id}/failure-groups`);
    expect(groups.body.result).toHaveLength(1);
    expect(groups.body.result[0]).toMatchObject({ occurrence_count: 4000, test_count: 2000, run_count: 1 });
  });

  async function sourceId(): Promise<number> {
    const sources = await api.get("/projects/1/automation/sources");
    return sources.body.result.find((s: { name: string }) => s.name === "race").id;
  }
});

/**
 * Whatever the lock order, PostgreSQL may still abort one side of a deadlock (40P01) or a serialization
 * failure (40001): the append is then done again inside the server, and the client sees a plain 204.
 * A trigger raises the error at the first insert of run tests after the sequence restarts (a sequence,
 * because its counting survives the rollback to the server's savepoint).
 */
describe.runIf(BACKENDS.includes("postgres"))("an aborted append on postgres", () => {
  let server: TestServer;
  let api: ApiClient;
  let client: pg.Client;

  beforeAll(async () => {
    server = await startServerProcess({ backend: "postgres" });
    api = new ApiClient(server.url, server.token);
    client = new pg.Client({ connectionString: server.env.ASSAY_DATABASE_URL });
    await client.connect();
    await client.query("CREATE SEQUENCE fault_inserts");
    await client.query("CREATE TABLE fault_code (code text NOT NULL)");
    await client.query(`CREATE FUNCTION inject_fault() RETURNS trigger AS $$
      BEGIN
        IF nextval('fault_inserts') = 1 THEN
          RAISE EXCEPTION 'injected fault' USING ERRCODE = (SELECT code FROM fault_code);
        END IF;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await client.query(
      "CREATE TRIGGER inject_fault BEFORE INSERT ON automation_run_tests FOR EACH STATEMENT EXECUTE FUNCTION inject_fault()",
    );
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  it.each(["40P01", "40001"])("retries after %s and stores every test once", async (code) => {
    await client.query("DELETE FROM fault_code");
    await client.query("INSERT INTO fault_code (code) VALUES ($1)", [code]);
    const run = await api.post("/projects/1/automation/runs", { name: `aborted ${code}`, source: `abort-${code}` });
    const thread = await api.post(`/automation/runs/${run.body.id}/threads`, {});
    await client.query("ALTER SEQUENCE fault_inserts RESTART");
    const tests = Array.from({ length: 50 }, (_, i) => ({
      key: `a${i}`,
      name: `a${i}`,
      folder: "f",
      status: "passed",
    }));
    const append = await api.post(`/automation/runs/threads/${thread.body.id}/append`, { tests });
    expect(append.status, JSON.stringify(append.body)).toBe(204);
    // The fault fired on the first attempt; the second inserted the tests.
    const { rows } = await client.query("SELECT last_value FROM fault_inserts");
    expect(Number(rows[0].last_value)).toBe(2);
    const stored = await api.get(`/automation/runs/${run.body.id}`);
    expect(stored.body.result.total_count).toBe(50);
    const cases = await api.get(`/projects/1/automation/cases?per_page=100&source_id=${stored.body.result.source_id}`);
    expect(cases.body.total).toBe(50);
    expect(cases.body.result.every((c: { result_count: number }) => c.result_count === 1)).toBe(true);
  });
});
