// Ingest benchmark: results per second through the HTTP bulk append (server and
// load generator in separate processes), next to the raw insert rate of the same
// rows on the same machine in the same run: better-sqlite3 for SQLite, and for
// PostgreSQL (when reachable) pg with array parameters (unnest), the fastest way
// the server could write them. Also the cost of ASSAY_SQLITE_SYNCHRONOUS=full.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";
import { createPostgresDatabase } from "./lib/servers.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const TESTS_PER_APPEND = 5000;
const APPENDS = Number(process.env.ASSAY_BENCH_APPENDS ?? 40);
const IN_FLIGHT = 2;
/** PostgreSQL takes appends in parallel: the load of 8 CI jobs uploading at once. */
const PG_IN_FLIGHT = Number(process.env.ASSAY_BENCH_PG_CLIENTS ?? 8);

function makeTests(batch) {
  const statuses = [
    "passed",
    "passed",
    "passed",
    "passed",
    "passed",
    "passed",
    "passed",
    "failure",
    "error",
    "skipped",
  ];
  return Array.from({ length: TESTS_PER_APPEND }, (_, i) => {
    const n = batch * TESTS_PER_APPEND + i;
    const status = statuses[n % statuses.length];
    const failed = status === "failure" || status === "error";
    return {
      key: crypto
        .createHash("sha256")
        .update(`com.example.Suite${n % 500}.test${n}`)
        .digest("hex"),
      name: `test${n}`,
      status,
      folder: `com.example.Suite${n % 500}`,
      artifacts: [],
      fields: failed
        ? [
            {
              type: 4,
              name: "Failure",
              value: `AssertionError: expected ${n} to equal ${n + 1}\n    at Suite.test (suite.js:${n % 300}:7)`,
              is_highlight: true,
              meta: { type: "AssertionError" },
            },
          ]
        : [],
      elapsed: 1000 + (n % 5000),
      file: `tests/suite${n % 500}.spec.js`,
      line: n % 300,
      assertions: 1,
    };
  });
}

async function startServer(dataDir, token, extraEnv) {
  const child = spawn(process.execPath, [path.join(ROOT, "packages/server/dist/main.js"), "start"], {
    env: {
      PATH: process.env.PATH,
      ASSAY_HOST: "127.0.0.1",
      ASSAY_PORT: "0",
      ASSAY_DATA_DIR: dataDir,
      ASSAY_ADMIN_TOKEN: token,
      ASSAY_LOG_LEVEL: "warn",
      ASSAY_RATE_LIMIT_REQUESTS: "1000000",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = /Assay listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, child };
}

async function post(url, token, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "idempotency-key": crypto.randomUUID(),
    },
    body,
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

async function measureHttp(bodies, { env = {}, inFlight = IN_FLIGHT } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-"));
  const token = `assay_bench_${crypto.randomBytes(12).toString("hex")}`;
  const { url, child } = await startServer(dataDir, token, env);
  try {
    const api = `${url}/api/v1`;
    const run = await post(
      `${api}/projects/1/automation/runs`,
      token,
      JSON.stringify({ name: "bench", source: "bench" }),
    );
    const threads = [];
    for (let i = 0; i < inFlight; i++) {
      threads.push((await post(`${api}/automation/runs/${run.id}/threads`, token, "{}")).id);
    }
    // warm-up append (JIT, statement cache), not counted
    await post(`${api}/automation/runs/threads/${threads[0]}/append`, token, bodies.warmup);
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      threads.map(async (threadId) => {
        while (next < bodies.batches.length) {
          const body = bodies.batches[next++];
          await post(`${api}/automation/runs/threads/${threadId}/append`, token, body);
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const check = await fetch(`${api}/automation/runs/${run.id}`, { headers: { authorization: `Bearer ${token}` } });
    const total = (await check.json()).result.total_count;
    const expected = (bodies.batches.length + 1) * TESTS_PER_APPEND;
    if (total !== expected) throw new Error(`stored ${total} tests, expected ${expected}`);
    return (bodies.batches.length * TESTS_PER_APPEND) / seconds;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same rows (case identity, test row, details) with prepared statements in one transaction per batch. */
async function measureRaw(batches) {
  const { openSqlite } = await import(path.join(ROOT, "packages/server/dist/storage/db.js"));
  const { migrateToLatest } = await import(path.join(ROOT, "packages/server/dist/storage/migrate.js"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-raw-"));
  const storage = openSqlite(path.join(dir, "raw.sqlite"));
  await migrateToLatest(storage);
  await storage.close();
  const db = new SQLite(path.join(dir, "raw.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const now = new Date().toISOString();
  db.prepare("INSERT INTO projects (name, is_completed, created_at) VALUES ('p', 0, ?)").run(now);
  db.prepare("INSERT INTO automation_sources (project_id, name, is_retired, created_at) VALUES (1, 'raw', 0, ?)").run(
    now,
  );
  db.prepare(
    "INSERT INTO automation_runs (project_id, source_id, name, status, tags, created_at) VALUES (1, 1, 'raw', 4, '[]', ?)",
  ).run(now);
  db.prepare('INSERT INTO automation_run_threads (run_id, "index", status, created_at) VALUES (1, 1, 4, ?)').run(now);
  const findCase = db.prepare("SELECT id FROM automation_cases WHERE source_id = ? AND key = ?").pluck();
  const insertCase = db.prepare(
    "INSERT INTO automation_cases (project_id, source_id, key, name, folder, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const insertTest = db.prepare(
    "INSERT INTO automation_run_tests (run_id, thread_id, case_id, name, folder, status_id, status_alias, elapsed, file, line, assertions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertDetail = db.prepare(
    "INSERT INTO automation_run_test_details (test_id, fields, artifacts) VALUES (?, ?, ?)",
  );
  const statusIds = { passed: 2, failure: 3, error: 3, skipped: 6 };
  const insertBatch = db.transaction((tests) => {
    for (const t of tests) {
      let caseId = findCase.get(1, t.key);
      if (caseId === undefined) caseId = insertCase.run(1, 1, t.key, t.name, t.folder, now).lastInsertRowid;
      const id = insertTest.run(
        1,
        1,
        caseId,
        t.name,
        t.folder,
        statusIds[t.status],
        t.status,
        t.elapsed,
        t.file,
        t.line,
        t.assertions,
        now,
      ).lastInsertRowid;
      if (t.fields.length) insertDetail.run(id, JSON.stringify(t.fields), null);
    }
  });
  const started = process.hrtime.bigint();
  for (const tests of batches) insertBatch(tests);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return (batches.length * TESTS_PER_APPEND) / seconds;
}

/**
 * PostgreSQL's ceiling: the same rows with pg, `inFlight` connections each writing whole batches in one
 * transaction with three array-parameter statements (cases, tests, details), no ORM in between.
 */
async function measureRawPostgres(batches, inFlight) {
  const database = await createPostgresDatabase();
  const { openPostgres } = await import(path.join(ROOT, "packages/server/dist/storage/db.js"));
  const { migrateToLatest } = await import(path.join(ROOT, "packages/server/dist/storage/migrate.js"));
  const storage = openPostgres(database.url);
  await migrateToLatest(storage);
  await storage.close();
  const pool = new pg.Pool({ connectionString: database.url, max: inFlight });
  try {
    const now = new Date().toISOString();
    await pool.query("INSERT INTO projects (name, is_completed, created_at) VALUES ('p', 0, $1)", [now]);
    await pool.query(
      "INSERT INTO automation_sources (project_id, name, is_retired, created_at) VALUES (1, 'raw', 0, $1)",
      [now],
    );
    await pool.query(
      "INSERT INTO automation_runs (project_id, source_id, name, status, tags, created_at) VALUES (1, 1, 'raw', 4, '[]', $1)",
      [now],
    );
    await pool.query('INSERT INTO automation_run_threads (run_id, "index", status, created_at) VALUES (1, 1, 4, $1)', [
      now,
    ]);
    const statusIds = { passed: 2, failure: 3, error: 3, skipped: 6 };
    async function insertBatch(client, tests) {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO automation_cases (project_id, source_id, key, name, folder, created_at)
         SELECT 1, 1, k, n, f, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(k, n, f)
         ON CONFLICT (source_id, key) DO NOTHING`,
        [tests.map((t) => t.key), tests.map((t) => t.name), tests.map((t) => t.folder), now],
      );
      const { rows: cases } = await client.query(
        "SELECT id, key FROM automation_cases WHERE source_id = 1 AND key = ANY($1::text[])",
        [tests.map((t) => t.key)],
      );
      const ids = new Map(cases.map((c) => [c.key, c.id]));
      const { rows: inserted } = await client.query(
        `INSERT INTO automation_run_tests (run_id, thread_id, case_id, name, folder, status_id, status_alias, elapsed, file, line, assertions, created_at)
         SELECT 1, 1, c, n, f, s, a, e, fi, l, x, $10 FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::text[], $6::bigint[], $7::text[], $8::int[], $9::int[]) AS t(c, n, f, s, a, e, fi, l, x)
         RETURNING id`,
        [
          tests.map((t) => ids.get(t.key)),
          tests.map((t) => t.name),
          tests.map((t) => t.folder),
          tests.map((t) => statusIds[t.status]),
          tests.map((t) => t.status),
          tests.map((t) => t.elapsed),
          tests.map((t) => t.file),
          tests.map((t) => t.line),
          tests.map((t) => t.assertions),
          now,
        ],
      );
      const detailIds = [];
      const detailFields = [];
      tests.forEach((t, i) => {
        if (t.fields.length === 0) return;
        detailIds.push(inserted[i].id);
        detailFields.push(JSON.stringify(t.fields));
      });
      await client.query(
        "INSERT INTO automation_run_test_details (test_id, fields) SELECT * FROM unnest($1::int[], $2::text[])",
        [detailIds, detailFields],
      );
      await client.query("COMMIT");
    }
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        const client = await pool.connect();
        try {
          while (next < batches.length) await insertBatch(client, batches[next++]);
        } finally {
          client.release();
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return (batches.length * TESTS_PER_APPEND) / seconds;
  } finally {
    await pool.end();
    await database.drop();
  }
}

const batches = Array.from({ length: APPENDS }, (_, i) => makeTests(i + 1));
const bodies = {
  warmup: JSON.stringify({ tests: makeTests(0) }),
  batches: batches.map((tests) => JSON.stringify({ tests })),
};
const httpRate = await measureHttp(bodies);
const rawRate = await measureRaw(batches);
console.log(
  `ingest http results/s: ${Math.round(httpRate)} (${APPENDS} appends of ${TESTS_PER_APPEND} tests, ${IN_FLIGHT} in flight)`,
);
console.log(`ingest raw better-sqlite3 rows/s: ${Math.round(rawRate)}`);
console.log(`ingest ratio: ${(httpRate / rawRate).toFixed(2)}`);

// Durability (docs: "Durability"): synchronous=FULL syncs the WAL at every commit.
const fullRate = await measureHttp(bodies, { env: { ASSAY_SQLITE_SYNCHRONOUS: "full" } });
console.log(
  `ingest http results/s with ASSAY_SQLITE_SYNCHRONOUS=full: ${Math.round(fullRate)} (${((fullRate / httpRate) * 100).toFixed(0)} % of the default, normal)`,
);

const probe = await createPostgresDatabase();
if (probe) {
  await probe.drop();
  const database = await createPostgresDatabase();
  let pgHttpRate;
  try {
    pgHttpRate = await measureHttp(bodies, {
      env: { ASSAY_DATABASE_URL: database.url },
      inFlight: PG_IN_FLIGHT,
    });
  } finally {
    await database.drop();
  }
  const pgRawRate = await measureRawPostgres(batches, PG_IN_FLIGHT);
  console.log(
    `ingest http results/s (postgres): ${Math.round(pgHttpRate)} (${APPENDS} appends of ${TESTS_PER_APPEND} tests, ${PG_IN_FLIGHT} in flight)`,
  );
  console.log(`ingest raw pg rows/s (unnest arrays, ${PG_IN_FLIGHT} connections): ${Math.round(pgRawRate)}`);
  console.log(`ingest ratio (postgres): ${(pgHttpRate / pgRawRate).toFixed(2)}`);
} else {
  console.log("ingest (postgres): skipped, PostgreSQL not reachable (set ASSAY_BENCH_POSTGRES_URL)");
}
