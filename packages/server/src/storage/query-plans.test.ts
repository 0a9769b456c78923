import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { RateLimiter } from "../lib/rate-limiter.js";
import { bootstrap } from "../services/admin.js";
import { StatusCatalog } from "../services/statuses.js";
import { BACKENDS, type Backend, createPostgresDatabase } from "../test-support/backends.js";
import { openPostgres, openSqlite, type Storage } from "./db.js";
import { createFileStore } from "./files/index.js";
import { migrateToLatest } from "./migrate.js";
import type { Database } from "./schema.js";

/**
 * The insight reads must cost the same whatever the number of results stored
 * (bench/insights.bench.js measures it): every statement they issue reads
 * through an index. The application runs in process over a storage whose
 * Kysely records each statement; each endpoint is requested once, and every
 * SELECT it issued is explained: EXPLAIN QUERY PLAN on SQLite (no full scan
 * of a table that grows with results or runs), EXPLAIN after ANALYZE on
 * PostgreSQL (no sequential scan of automation_run_tests).
 * ASSAY_PRINT_PLANS=1 prints every statement with its plan.
 */

const RUNS = 60;
const TESTS = 300;
const PROJECT = 1;

/** Tables whose size grows with the stored results, runs or tests. */
const GROWING = [
  "automation_run_tests",
  "automation_run_test_details",
  "automation_runs",
  "automation_run_threads",
  "automation_cases",
  "failure_groups",
  "failure_group_runs",
  "failure_group_tests",
];
/** Tables with one row per result: not even a full index scan is flat. */
const PER_RESULT = ["automation_run_tests", "automation_run_test_details"];

interface Captured {
  sql: string;
  parameters: readonly unknown[];
}

interface Harness {
  app: FastifyInstance;
  token: string;
  storage: Storage;
  captured: Captured[];
  explain(query: Captured): Promise<string[]>;
  close(): Promise<void>;
}

async function openHarness(backend: Backend): Promise<Harness> {
  const captured: Captured[] = [];
  const log = (event: LogEvent) => {
    if (event.level === "query") captured.push({ sql: event.query.sql, parameters: event.query.parameters });
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-plans-"));
  let storage: Storage;
  let explain: Harness["explain"];
  let drop = async () => {};
  if (backend === "sqlite") {
    const plain = openSqlite(path.join(dataDir, "assay.sqlite"));
    await migrateToLatest(plain);
    const sqlite = plain.sqlite!;
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
    storage = { ...plain, db, close: () => plain.close() };
    explain = async (q) =>
      (sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map(
        (r) => r.detail,
      );
  } else {
    const database = await createPostgresDatabase();
    drop = database.drop;
    const plain = openPostgres(database.url);
    await migrateToLatest(plain);
    const pool = new pg.Pool({ connectionString: database.url, max: 5 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
    storage = {
      ...plain,
      db,
      close: async () => {
        await db.destroy();
        await plain.close();
      },
    };
    explain = async (q) => {
      const result = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${q.sql}`, q.parameters as unknown[]);
      return result.rows.map((r) => r["QUERY PLAN"]);
    };
  }
  const token = `assay_plans_${crypto.randomBytes(12).toString("hex")}`;
  const config = loadConfig({
    ASSAY_DATA_DIR: dataDir,
    ASSAY_ADMIN_TOKEN: token,
    ASSAY_LOG_LEVEL: "silent",
    ASSAY_RATE_LIMIT_REQUESTS: "10000000",
  });
  await bootstrap(storage.db, { adminEmail: config.adminEmail, adminToken: token });
  const app = await buildApp({
    config,
    storage,
    files: await createFileStore(config),
    redis: null,
    statuses: await StatusCatalog.load(storage.db),
    rateLimiter: new RateLimiter(
      {
        requests: config.rateLimitRequests,
        windowSeconds: config.rateLimitWindowSeconds,
        penaltyAfter: config.rateLimitPenaltyAfter,
        penaltySeconds: config.rateLimitPenaltySeconds,
        penaltyMaxSeconds: config.rateLimitPenaltyMaxSeconds,
      },
      { redis: null, keyPrefix: config.redisKeyPrefix },
    ),
  });
  await app.ready();
  return {
    app,
    token,
    storage,
    captured,
    explain,
    async close() {
      await app.close();
      await storage.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(h: Harness, method: "GET" | "POST" | "PUT", url: string, body?: unknown) {
  const res = await h.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: {
      authorization: `Bearer ${h.token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
  return res.body ? JSON.parse(res.body) : null;
}

const SIGNATURES = [
  (n: number) => [`expected ${n} but was ${n + 1}`, "at com.acme.CheckoutTest.totals(CheckoutTest.java:42)"],
  (n: number) => [`Timed out after ${n}ms`, "at com.acme.ui.GridTest.loads(GridTest.java:118)"],
  (n: number) => [`Connection refused: localhost:${n}`, "at com.acme.db.PoolTest.connects(PoolTest.java:77)"],
];

/** RUNS runs of TESTS tests: 10 flaky, 6 always failing with 3 signatures, 5 skipped, the rest passing. */
async function seed(h: Harness): Promise<{ runIds: number[] }> {
  const runIds: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const run = await call(h, "POST", `/projects/${PROJECT}/automation/runs`, {
      name: `Nightly ${r}`,
      source: "plans",
      fields: [
        { type: 1, name: "Commit", value: crypto.createHash("sha1").update(`c${r}`).digest("hex") },
        { type: 1, name: "Branch", value: "main" },
      ],
    });
    const thread = await call(h, "POST", `/automation/runs/${run.id}/threads`, {});
    const tests = Array.from({ length: TESTS }, (_, i) => {
      let status = "passed";
      if (i < 10) status = (r * 31 + i * 17) % 10 < 3 ? "failed" : "passed";
      else if (i < 16) status = "failed";
      else if (i >= TESTS - 5) status = "skipped";
      const test: Record<string, unknown> = {
        key: crypto.createHash("sha256").update(`test ${i}`).digest("hex"),
        name: `test${i}`,
        folder: `com.acme.Suite${i % 10}`,
        status,
        elapsed: 1000 + ((i * 7919 + r * 13) % 50_000),
      };
      if (status === "failed") {
        const [message, frame] = SIGNATURES[i % SIGNATURES.length]!(r * 1000 + i);
        test.fields = [
          {
            type: 4,
            name: "Failure",
            value: `${message}\n    ${frame}`,
            meta: { message: message!, type: "java.lang.AssertionError" },
            is_highlight: true,
          },
        ];
      }
      return test;
    });
    await call(h, "POST", `/automation/runs/threads/${thread.id}/append`, { tests });
    await call(h, "POST", `/automation/runs/${run.id}/complete`, {});
    runIds.push(run.id);
  }
  return { runIds };
}

/**
 * Problems in a SQLite plan: a full scan of a growing table, or any scan of a
 * per-result table. SQLite names a table by its alias in the plan: `"table" as
 * "alias"` pairs of the statement map it back (an alias used for several
 * tables stands for each of them).
 */
function sqlitePlanProblems(statement: string, plan: string[]): string[] {
  const tables = new Map<string, Set<string>>();
  for (const [, table, alias] of statement.matchAll(/"(\w+)" as "(\w+)"/g)) {
    const set = tables.get(alias!) ?? new Set<string>();
    set.add(table!);
    tables.set(alias!, set);
  }
  const problems: string[] = [];
  for (const line of plan) {
    const scan = /^SCAN (\w+)( USING .*)?$/.exec(line);
    if (!scan) continue;
    for (const table of tables.get(scan[1]!) ?? [scan[1]!]) {
      if (PER_RESULT.includes(table)) problems.push(`${line}: reads every row of ${table}`);
      else if (GROWING.includes(table) && !scan[2]) problems.push(`${line}: full scan of ${table}`);
    }
  }
  return problems;
}

/** Problems in a PostgreSQL plan: a sequential scan of a per-result table. */
function postgresPlanProblems(plan: string[]): string[] {
  return plan
    .filter((line) => PER_RESULT.some((table) => line.includes(`Seq Scan on ${table}`)))
    .map((line) => `${line.trim()}: sequential scan`);
}

/** The SELECTs an endpoint issued that touch a growing table. */
function readsOfGrowingTables(captured: Captured[]): Captured[] {
  return captured.filter(
    (q) => /^\s*(select|with)\b/i.test(q.sql) && GROWING.some((table) => new RegExp(`\\b${table}\\b`, "i").test(q.sql)),
  );
}

describe("the plan checks themselves", () => {
  const statement =
    'select * from "automation_run_tests" as "t" inner join "automation_runs" as "r" on "r"."id" = "t"."run_id"';

  it("flag full scans of growing tables under their aliases, and any scan of a per-result table", () => {
    expect(
      sqlitePlanProblems(statement, ["SCAN r", "SEARCH t USING INDEX automation_run_tests_run (run_id=?)"]),
    ).toEqual(["SCAN r: full scan of automation_runs"]);
    expect(sqlitePlanProblems(statement, ["SCAN t USING INDEX automation_run_tests_case"])).toEqual([
      "SCAN t USING INDEX automation_run_tests_case: reads every row of automation_run_tests",
    ]);
    expect(sqlitePlanProblems('select 1 from "users"', ["SCAN users"])).toEqual([]);
    expect(postgresPlanProblems(["Hash Join", "  ->  Seq Scan on automation_run_tests t"])).toHaveLength(1);
  });

  it("pass searches and index-ordered scans", () => {
    expect(
      sqlitePlanProblems(statement, [
        "SEARCH t USING INDEX automation_run_tests_case (case_id=?)",
        "SEARCH r USING INTEGER PRIMARY KEY (rowid=?)",
        "SCAN r USING INDEX automation_runs_source_id",
      ]),
    ).toEqual([]);
    expect(
      postgresPlanProblems(["Index Scan Backward using automation_run_tests_case on automation_run_tests t"]),
    ).toEqual([]);
  });
});

for (const backend of BACKENDS) {
  describe(`query plans of the insight reads (${backend})`, () => {
    let h: Harness;
    let runIds: number[];
    let caseId: number;

    beforeAll(async () => {
      h = await openHarness(backend);
      ({ runIds } = await seed(h));
      const flaky = await h.storage.db
        .selectFrom("automation_cases")
        .select("id")
        .where("project_id", "=", PROJECT)
        .orderBy("id")
        .limit(1)
        .executeTakeFirstOrThrow();
      caseId = flaky.id;
      await call(h, "PUT", `/x/automation/cases/${caseId}/quarantine`, { reason: "flaky" });
      if (backend === "postgres") await sql`analyze`.execute(h.storage.db);
    }, 180_000);

    afterAll(async () => {
      await h?.close();
    });

    const endpoints: [string, () => string][] = [
      ["a test's history", () => `/x/automation/cases/${caseId}/history`],
      [
        "the §7 cases list by flakiness",
        () => `/projects/${PROJECT}/automation/cases?sort=automation_cases:flaky_percent&order=desc`,
      ],
      [
        "the insight cases list by flakiness",
        () => `/x/projects/${PROJECT}/automation/cases?sort=flaky_percent&order=desc`,
      ],
      ["a run comparison", () => `/x/automation/runs/${runIds.at(-1)}/comparison`],
      ["the failure groups of a run", () => `/x/automation/runs/${runIds.at(-1)}/failure-groups`],
      ["30-day trends", () => `/x/projects/${PROJECT}/automation/trends?days=30`],
    ];

    for (const [label, url] of endpoints) {
      it(`${label}: every statement reads through an index`, async () => {
        h.captured.length = 0;
        await call(h, "GET", url());
        const reads = readsOfGrowingTables(h.captured);
        expect(reads.length, "statements reading growing tables").toBeGreaterThan(0);
        const problems: string[] = [];
        for (const query of reads) {
          const plan = await h.explain(query);
          const found = backend === "sqlite" ? sqlitePlanProblems(query.sql, plan) : postgresPlanProblems(plan);
          if (process.env.ASSAY_PRINT_PLANS) console.log(`${backend} ${label}:\n${query.sql}\n  ${plan.join("\n  ")}`);
          if (found.length) problems.push(`${query.sql}\n  ${plan.join("\n  ")}\n  => ${found.join("; ")}`);
        }
        expect(problems, problems.join("\n\n")).toEqual([]);
      });
    }
  });
}
