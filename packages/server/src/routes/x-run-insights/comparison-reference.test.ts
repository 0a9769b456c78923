import { COMPARISON_CATEGORIES, type ComparedTest, type ComparisonCategory } from "@assay/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMarkedlySlower } from "../../services/insights/comparison.js";
import { openSqlite, openStorage, type Storage } from "../../storage/db.js";
import { migrateToLatest } from "../../storage/migrate.js";
import { SQLITE_COMPARISON_SQL } from "../../storage/repositories/comparison-tests.js";
import type { ComparisonTestRow } from "../../storage/repositories/insight-runs.js";
import { BACKENDS } from "../../test-support/backends.js";
import { ApiClient } from "../../test-support/http.js";
import { appendTests, completeRun, submitRun, type TestSpec } from "../../test-support/retention.js";
import { startServerProcess, type TestServer } from "../../test-support/server-process.js";

/**
 * The comparison reads narrow rows and names only what ordering needs (services/insights/comparison.ts).
 * Its whole answer must stay what the first, plain algorithm gives: every row read wide, every test an
 * object, every category sorted in full. That algorithm is kept here as the reference, fed by a plain
 * query on the server's storage.
 */

// Names whose order by name, then folder, then case id is not their key order: ties on name and folder,
// case and accents, a character outside the BMP and one just below it.
const NAMES = ["beta", "Beta", "alpha", "émile", "zeta", "𝒳 astral", "\uff01 fullwidth", "alpha"];
const FOLDERS = ["b", "a", "a"];

function test(i: number, status: "passed" | "failure" | "skipped", elapsed: number): TestSpec {
  return {
    key: `k${String(i).padStart(3, "0")}`,
    status,
    elapsed,
    name: NAMES[i % NAMES.length]!,
    folder: FOLDERS[i % FOLDERS.length]!,
    ...(status === "failure" ? { failure: `expected ${i} to be ${i + 1}` } : {}),
  };
}

/** The baseline: 60 tests, every third failing, all 200 ms. */
const BASELINE = Array.from({ length: 60 }, (_, i) => test(i, i % 3 === 0 ? "failure" : "passed", 200_000));

/**
 * The run: tests 0–49 of the baseline (10 gone), 20 new ones; statuses shifted so every name-ordered category
 * has more than `LIMIT` tests; every fourth test markedly slower by a different amount.
 */
const RUN = Array.from({ length: 70 }, (_, j) => {
  const i = j < 50 ? j : 100 + j;
  const status = j % 2 === 0 ? "failure" : j % 5 === 0 ? "skipped" : "passed";
  return test(i, status, j % 4 === 0 ? 400_000 + j * 1000 : 200_000);
});
/** Retries, appended after the run's tests: the last result counts (k001 now fails, k002 now passes). */
const RETRIES = [test(1, "failure", 900_000), test(2, "passed", 100_000), test(2, "passed", 200_000)];

const LIMIT = 3;

describe.each(BACKENDS)("run comparison against the plain algorithm on %s", (backend) => {
  let server: TestServer;
  let api: ApiClient;
  let storage: Storage;
  let baselineId: number;
  let runId: number;

  beforeAll(async () => {
    server = await startServerProcess({ backend });
    api = new ApiClient(server.url, server.token);
    storage = openStorage({ databaseUrl: server.env.ASSAY_DATABASE_URL || null, dataDir: server.dataDir });
    baselineId = await submit("ref", [BASELINE]);
    runId = await submit("ref", [RUN, RETRIES]);
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  /** The appends one after the other (retries in the last), then the run completed. */
  async function submit(source: string, appends: TestSpec[][]): Promise<number> {
    const { runId, threadId } = await submitRun(api, 1, { source, tests: appends[0] ?? [], complete: false });
    for (const tests of appends.slice(1)) await appendTests(api, threadId, tests);
    await completeRun(api, runId);
    return runId;
  }

  async function expected(run: number, baseline: number | null, limit: number) {
    const statuses = await storage.db.selectFrom("statuses").select(["id", "is_failed", "is_passed"]).execute();
    const failed = new Set(statuses.filter((s) => s.is_failed === 1).map((s) => s.id));
    const passed = new Set(statuses.filter((s) => s.is_passed === 1).map((s) => s.id));
    return referenceMerge({
      run: await plainRows(storage, run),
      baseline: baseline === null ? null : await plainRows(storage, baseline),
      isFailed: (id) => failed.has(id),
      isPassed: (id) => passed.has(id),
      limit,
    });
  }

  async function compare(run: number, query: string) {
    const res = await api.get(`/x/automation/runs/${run}/comparison${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.result;
  }

  it("answers what the plain algorithm answers, with more tests than the limit in every category", async () => {
    const result = await compare(runId, `?limit=${LIMIT}`);
    expect(result.baseline.id).toBe(baselineId);
    const want = await expected(runId, baselineId, LIMIT);
    expect({ counts: result.counts, failures: result.failures, tests: result.tests }).toEqual(want);
    // The case is not trivial: every category is cut, and the retries decided k001 and k002.
    for (const category of COMPARISON_CATEGORIES) expect(want.counts[category], category).toBeGreaterThan(LIMIT);
    const all = await compare(runId, "?limit=1000");
    const k001 = all.tests.new_failures.find((t: ComparedTest) => t.elapsed === 900_000);
    expect(k001).toMatchObject({
      status_id: 3,
      baseline_status_id: 2,
      message: expect.stringContaining("expected 1 to be 2"),
    });
    expect(k001.failure_group_id).toEqual(expect.any(Number));
    expect(all.tests.new_failures.some((t: ComparedTest) => t.message?.includes("expected 2 to be 3"))).toBe(false);
  });

  it("lists only the categories asked for, with the same tests, and keeps every count", async () => {
    const want = await expected(runId, baselineId, LIMIT);
    const result = await compare(runId, `?limit=${LIMIT}&categories=new_failures,slower`);
    expect(result.counts).toEqual(want.counts);
    expect(result.failures).toEqual(want.failures);
    for (const category of COMPARISON_CATEGORIES) {
      const listed = category === "new_failures" || category === "slower";
      expect(result.tests[category], category).toEqual(listed ? want.tests[category] : []);
    }
  });

  it("answers the same at every limit, with no baseline and for a run without tests", async () => {
    for (const limit of [1, 7, 1000]) {
      const result = await compare(runId, `?limit=${limit}`);
      expect({ counts: result.counts, failures: result.failures, tests: result.tests }, `limit ${limit}`).toEqual(
        await expected(runId, baselineId, limit),
      );
    }
    // The baseline against the run: the run's 20 new tests are gone, the baseline's 10 are new.
    const reversed = await compare(baselineId, `?baseline_id=${runId}&limit=${LIMIT}`);
    expect({ counts: reversed.counts, failures: reversed.failures, tests: reversed.tests }).toEqual(
      await expected(baselineId, runId, LIMIT),
    );

    const first = await submit("first", [RUN, RETRIES]);
    const alone = await compare(first, `?limit=${LIMIT}`);
    expect(alone.baseline).toBeNull();
    expect({ counts: alone.counts, failures: alone.failures, tests: alone.tests }).toEqual(
      await expected(first, null, LIMIT),
    );

    const empty = await submit("ref", []);
    const nothing = await compare(empty, `?baseline_id=${runId}&limit=${LIMIT}`);
    expect(nothing.counts.gone_tests).toBe(70);
    expect({ counts: nothing.counts, failures: nothing.failures, tests: nothing.tests }).toEqual(
      await expected(empty, runId, LIMIT),
    );
  });
});

// storage/query-plans.test.ts sees only what goes through Kysely: the comparison's own SQLite statements are checked here.
describe("the run comparison's SQLite statements", () => {
  it("read through the (run_id, id) index and the primary key, never a scan of the results", async () => {
    const storage = openSqlite(":memory:");
    try {
      await migrateToLatest(storage);
      for (const [label, text] of Object.entries(SQLITE_COMPARISON_SQL)) {
        const plan = (storage.sqlite!.prepare(`EXPLAIN QUERY PLAN ${text}`).all("[1]") as { detail: string }[]).map(
          (r) => r.detail,
        );
        expect(
          plan.some((d) =>
            /^SEARCH automation_run_tests USING (INDEX automation_run_tests_run |INTEGER PRIMARY KEY)/.test(d),
          ),
          `${label}: ${plan}`,
        ).toBe(true);
        expect(
          plan.filter((d) => /^SCAN automation_run_tests\b/.test(d)),
          label,
        ).toEqual([]);
      }
    } finally {
      await storage.close();
    }
  });
});

/** Every test result of a run in insertion order, read wide: what the comparison read before. */
async function plainRows(storage: Storage, runId: number): Promise<ComparisonTestRow[]> {
  const rows = await storage.db
    .selectFrom("automation_run_tests")
    .select(["case_id", "name", "folder", "status_id", "elapsed", "message", "failure_group_id"])
    .where("run_id", "=", runId)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ ...row, elapsed: row.elapsed === null ? null : Number(row.elapsed) }));
}

interface ReferenceInput {
  run: readonly ComparisonTestRow[];
  baseline: readonly ComparisonTestRow[] | null;
  isFailed(statusId: number): boolean;
  isPassed(statusId: number): boolean;
  limit: number;
}

/** The first comparison merge, as it was (nothing is quarantined here). */
function referenceMerge(input: ReferenceInput) {
  const lastResults = (rows: readonly ComparisonTestRow[]) => new Map(rows.map((row) => [row.case_id, row]));
  const now = lastResults(input.run);
  const before = lastResults(input.baseline ?? []);
  const lists = Object.fromEntries(COMPARISON_CATEGORIES.map((c) => [c, [] as ComparedTest[]])) as Record<
    ComparisonCategory,
    ComparedTest[]
  >;
  const failures = { total: 0, quarantined: 0, unquarantined: 0 };
  const compared = (caseId: number, current?: ComparisonTestRow, base?: ComparisonTestRow): ComparedTest => {
    const shown = (current ?? base)!;
    return {
      automation_case_id: caseId,
      name: shown.name,
      folder: shown.folder,
      status_id: current?.status_id ?? null,
      baseline_status_id: base?.status_id ?? null,
      elapsed: current?.elapsed ?? null,
      baseline_elapsed: base?.elapsed ?? null,
      message: shown.message,
      failure_group_id: shown.failure_group_id,
      is_quarantined: false,
    };
  };
  for (const [caseId, current] of now) {
    const base = before.get(caseId);
    const failed = input.isFailed(current.status_id);
    const test = compared(caseId, current, base);
    if (failed) failures.total++;
    if (!base) {
      lists.new_tests.push(test);
      if (failed) lists.new_failures.push(test);
      continue;
    }
    const failedBefore = input.isFailed(base.status_id);
    if (failed && failedBefore) lists.still_failing.push(test);
    else if (failed) lists.new_failures.push(test);
    else if (failedBefore && input.isPassed(current.status_id)) lists.fixed.push(test);
    if (isMarkedlySlower(current.elapsed, base.elapsed)) lists.slower.push(test);
  }
  for (const [caseId, base] of before) if (!now.has(caseId)) lists.gone_tests.push(compared(caseId, undefined, base));
  failures.unquarantined = failures.total;
  const byName = (a: ComparedTest, b: ComparedTest) => {
    if (a.name !== b.name) return a.name < b.name ? -1 : 1;
    if (a.folder !== b.folder) return a.folder < b.folder ? -1 : 1;
    return a.automation_case_id - b.automation_case_id;
  };
  const growth = (t: ComparedTest) => (t.elapsed ?? 0) - (t.baseline_elapsed ?? 0);
  const byGrowth = (a: ComparedTest, b: ComparedTest) =>
    growth(b) - growth(a) || a.automation_case_id - b.automation_case_id;
  const counts = {} as Record<ComparisonCategory, number>;
  for (const category of COMPARISON_CATEGORIES) {
    counts[category] = lists[category].length;
    lists[category] = lists[category].sort(category === "slower" ? byGrowth : byName).slice(0, input.limit);
  }
  return { counts, failures, tests: lists };
}
