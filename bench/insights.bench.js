// Test-intelligence benchmark: p95 latency over HTTP of the insight reads (a test's history, the cases list by
// flakiness, a run comparison, a run's failure groups, 30-day trends) at 100,000 and at 1,000,000 stored results,
// on SQLite and on PostgreSQL. The reads should cost about the same at both sizes ("flat cost": ratio ≤ 2).
//
// The project is seeded through the public API (per run: create run, thread, one append of 500 tests, complete;
// IN_FLIGHT runs at a time) up to the small size; a copy of that storage is kept (the SQLite directory, or a
// PostgreSQL database made from it as a template), and the original is grown to the large size. Both are then
// served at once and measured side by side, requests alternating between the two servers, so that the ratio is
// not skewed by whatever else the machine does meanwhile. On a PostgreSQL server with autovacuum off, the bench
// vacuums the bench database itself (see vacuumer()).
//
//   ASSAY_BENCH_INSIGHTS_RUNS       runs at the large size (default 2000; the small size is a tenth)
//   ASSAY_BENCH_INSIGHTS_BACKENDS   "sqlite,postgres" (default) or one of them
//   ASSAY_BENCH_INSIGHTS_IN_FLIGHT  runs seeded concurrently (default 4)
//   ASSAY_BENCH_POSTGRES_URL        server to create the bench databases on (default postgres://postgres@127.0.0.1:5432/postgres)
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const MAIN = path.join(ROOT, "packages/server/dist/main.js");
const RUNS = Number(process.env.ASSAY_BENCH_INSIGHTS_RUNS ?? 2000);
const SMALL_RUNS = Math.max(1, Math.round(RUNS / 10));
const TESTS = 500;
const IN_FLIGHT = Number(process.env.ASSAY_BENCH_INSIGHTS_IN_FLIGHT ?? 4);
const WARMUP = 50;
const SAMPLES = 200;
/** An endpoint's measurement stops early after this long (a slow read then has fewer samples). */
const MEASURE_BUDGET_MS = 30_000;
const BACKENDS = (process.env.ASSAY_BENCH_INSIGHTS_BACKENDS ?? "sqlite,postgres").split(",").map((s) => s.trim());
const POSTGRES_URL = process.env.ASSAY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PROJECT = 1; // the first project every fresh server creates

if (!Number.isInteger(RUNS) || RUNS < 10) throw new Error("ASSAY_BENCH_INSIGHTS_RUNS must be a whole number ≥ 10");

// ---------------------------------------------------------------- the seeded data

/** Deterministic PRNG (mulberry32) so every bench run stores the same results. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A handful of failure signatures: the numbers vary from failure to failure, the frame does not.
const SIGNATURES = [
  {
    message: (n) => `expected ${n} but was ${n + 1}`,
    frame: "at com.acme.CheckoutTest.totals(CheckoutTest.java:42)",
  },
  {
    message: (n) => `Timed out after ${1000 + (n % 9000)}ms waiting for #row-${n}`,
    frame: "at com.acme.ui.GridTest.loads(GridTest.java:118)",
  },
  {
    message: (n) => `Connection refused: localhost:${20000 + (n % 40000)}`,
    frame: "at com.acme.db.PoolTest.connects(PoolTest.java:77)",
  },
  {
    message: (n) => `Index ${n % 64} out of bounds for length ${n % 64}`,
    frame: "at com.acme.ListTest.slices(ListTest.java:15)",
  },
  {
    message: (n) => `Count mismatch: ${n} rows != ${n * 2} rows`,
    frame: "at com.acme.report.ExportTest.rows(ExportTest.java:203)",
  },
];

// Test i: 0–19 flaky (fail in ~20% of runs), 20–29 always failing, 30–49 failing in 1 run out of 25
// (new failures and fixes for the comparison), 490–499 skipped, the rest passing.
const CASES = Array.from({ length: TESTS }, (_, i) => {
  const suite = `Suite${i % 25}`;
  const name = `test${i}`;
  return {
    key: crypto.createHash("sha256").update(`com.acme.${suite}.${name}`).digest("hex"),
    name,
    folder: `com.acme.${suite}`,
    file: `src/test/java/com/acme/${suite}.java`,
    line: 10 + ((i * 7) % 400),
    baseElapsed: 2_000 + ((i * 7919) % 400) * 1_000, // 2 ms … 400 ms
    signature: SIGNATURES[i % SIGNATURES.length],
  };
});

function failureField(sig, n) {
  const message = sig.message(n);
  return {
    type: 4,
    name: "Failure",
    value: `${message}\n    ${sig.frame}`,
    meta: { message, type: "java.lang.AssertionError" },
    is_highlight: true,
  };
}

function runBody(index) {
  const rand = random(index * 7919 + 17);
  const tests = CASES.map((c, i) => {
    let status = "passed";
    if (i < 20) status = rand() < 0.2 ? "failed" : "passed";
    else if (i < 30) status = "failed";
    else if (i < 50) status = (index + i) % 25 === 0 ? "failed" : "passed";
    else if (i >= TESTS - 10) status = "skipped";
    const elapsed = status === "skipped" ? 0 : Math.round(c.baseElapsed * (0.7 + rand() * 0.6));
    const test = {
      key: c.key,
      name: c.name,
      status,
      folder: c.folder,
      elapsed,
      file: c.file,
      line: c.line,
      assertions: 1,
    };
    if (status === "failed") test.fields = [failureField(c.signature, Math.floor(rand() * 100_000))];
    return test;
  });
  return JSON.stringify({ tests });
}

// ---------------------------------------------------------------- server and HTTP

const children = new Set();
const databases = new Set();

async function startServer(env) {
  const child = spawn(process.execPath, [MAIN, "start"], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = /Assay listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code} before listening:\n${out}`)));
  });
  return { url, child };
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** A new database, empty or a copy of `template` (which nobody may be connected to). */
async function createDatabase(template = null) {
  const name = `assay_bench_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
  } finally {
    await admin.end();
  }
  databases.add(name);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function dropDatabase(name) {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  databases.delete(name);
}

/**
 * Every append rewrites each of its tests' automation_cases rows (new row versions on PostgreSQL),
 * so the table bloats without vacuum. Where the server runs with autovacuum off (as a test server
 * may), the bench vacuums that table every VACUUM_EVERY runs itself, as autovacuum would, and
 * before measuring vacuums and analyses the whole database.
 */
const VACUUM_EVERY = 100;

async function vacuumer(url) {
  const query = async (text) => {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      return await db.query(text);
    } finally {
      await db.end();
    }
  };
  const { rows } = await query("SELECT setting FROM pg_settings WHERE name = 'autovacuum'");
  const autovacuum = rows[0]?.setting === "on";
  if (!autovacuum) {
    console.log(
      `insights (postgres): autovacuum is off on this server; the bench vacuums automation_cases every ${VACUUM_EVERY} runs`,
    );
  }
  let running = null;
  return {
    /** seed()'s afterRun: a VACUUM of automation_cases every VACUUM_EVERY runs (one at a time); null waits for it */
    afterRun(done) {
      if (done === null) return running;
      if (autovacuum || done % VACUUM_EVERY !== 0 || running) return;
      running = query("VACUUM automation_cases").finally(() => {
        running = null;
      });
    },
    async settle() {
      await running;
      await query("VACUUM ANALYZE");
    },
  };
}

async function postgresReachable() {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function client(url, token) {
  const api = `${url}/api/v1`;
  const headers = { authorization: `Bearer ${token}` };
  return {
    async post(pathname, body) {
      const res = await fetch(`${api}${pathname}`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: body ?? "{}",
      });
      if (!res.ok) throw new Error(`POST ${pathname} answered ${res.status}: ${await res.text()}`);
      return res.status === 204 ? null : res.json();
    },
    /** GET; resolves to { status, body } without throwing on an error status. */
    async get(pathname) {
      const res = await fetch(`${api}${pathname}`, { headers });
      const text = await res.text();
      return { status: res.status, body: text };
    },
  };
}

// ---------------------------------------------------------------- seeding

/**
 * Seeds runs [from, to) with IN_FLIGHT runs in flight; returns the new run ids and the results/s.
 * `afterRun(done)` is called after each run (done = runs seeded so far in this call).
 */
async function seed(http, from, to, afterRun = () => {}) {
  const runIds = [];
  let next = from;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < to) {
        const index = next++;
        const body = runBody(index);
        const commit = crypto.createHash("sha1").update(`commit ${index}`).digest("hex");
        const run = await http.post(
          `/projects/${PROJECT}/automation/runs`,
          JSON.stringify({
            name: `Nightly #${index + 1}`,
            source: "bench",
            fields: [
              { type: 1, name: "Commit", value: commit },
              { type: 1, name: "Branch", value: "main" },
            ],
          }),
        );
        const thread = await http.post(`/automation/runs/${run.id}/threads`, "{}");
        await http.post(`/automation/runs/threads/${thread.id}/append`, body);
        await http.post(`/automation/runs/${run.id}/complete`, "{}");
        runIds.push(run.id);
        afterRun(runIds.length);
      }
    }),
  );
  await afterRun(null);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  runIds.sort((a, b) => a - b);
  return { runIds, rate: ((to - from) * TESTS) / seconds, seconds };
}

// ---------------------------------------------------------------- measuring

function p95(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)];
}

/**
 * p95 (ms) of GET target(i) for i = 0… on each server, requests alternating between them so that
 * both sizes are measured under the same load of the machine. A non-200 answer ends that
 * server's measurement with an error.
 */
async function measure(label, servers, target) {
  const samples = servers.map(() => []);
  const errors = servers.map(() => null);
  const started = Date.now();
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    for (const [s, server] of servers.entries()) {
      if (errors[s]) continue;
      const pathname = target(server, i);
      const t0 = process.hrtime.bigint();
      const res = await server.http.get(pathname);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (res.status !== 200) {
        console.error(`${label}: GET ${pathname} answered ${res.status}: ${res.body.slice(0, 300)}`);
        errors[s] = `error(${res.status})`;
      } else if (i >= WARMUP) samples[s].push(ms);
    }
    if (errors.every(Boolean)) break;
    if (Date.now() - started > MEASURE_BUDGET_MS && i >= WARMUP + 20) {
      console.error(`${label}: stopped after ${i + 1 - WARMUP} samples (over ${MEASURE_BUDGET_MS / 1000}s)`);
      break;
    }
  }
  return servers.map((_, s) => (errors[s] ? { error: errors[s] } : { p95: p95(samples[s]) }));
}

/** Every automation case id of the project, through the §7 list. */
async function caseIds(http) {
  const ids = [];
  for (let page = 1; ; page++) {
    const res = await http.get(`/projects/${PROJECT}/automation/cases?per_page=100&page=${page}`);
    if (res.status !== 200) {
      console.error(`case ids: the cases list answered ${res.status}: ${res.body.slice(0, 300)}`);
      return Array.from({ length: TESTS }, (_, i) => i + 1); // a fresh project's cases are 1…500
    }
    const body = JSON.parse(res.body);
    ids.push(...body.result.map((c) => c.id));
    if (!body.next_page) return ids;
  }
}

/** Each endpoint on every server ({http, runIds}); resolves to one {endpoint: result} per server. */
async function measureAll(servers) {
  for (const server of servers) server.cases = await caseIds(server.http);
  // Recent runs first (what people open), spread over the whole range.
  const pickRun = (server, i) => server.runIds[server.runIds.length - 1 - ((i * 37) % server.runIds.length)];
  const pickCase = (server, i) => server.cases[(i * 53) % server.cases.length];
  const pages = (server) => Math.max(1, Math.ceil(server.cases.length / 100));
  const endpoints = {
    history: (server, i) => `/x/automation/cases/${pickCase(server, i)}/history`,
    cases: (server, i) =>
      `/projects/${PROJECT}/automation/cases?sort=automation_cases:flaky_percent&order=desc&per_page=100&page=${1 + (i % pages(server))}`,
    compare: (server, i) => `/x/automation/runs/${pickRun(server, i)}/comparison`,
    groups: (server, i) => `/x/automation/runs/${pickRun(server, i)}/failure-groups`,
    trends: () => `/x/projects/${PROJECT}/automation/trends?days=30`,
  };
  const results = servers.map(() => ({}));
  for (const [name, target] of Object.entries(endpoints)) {
    const measured = await measure(name, servers, target);
    measured.forEach((r, s) => {
      results[s][name] = r;
    });
  }
  return results;
}

const fmt = (r) => (r.error ? r.error : r.p95.toFixed(1));

// ---------------------------------------------------------------- one backend

/**
 * Seeds SMALL_RUNS runs, keeps a copy of that storage (the small size), grows the original to RUNS
 * runs (the large size), then serves both at once and measures them side by side.
 */
async function benchBackend(backend) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-insights-"));
  const smallDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-insights-small-"));
  const token = `assay_bench_${crypto.randomBytes(12).toString("hex")}`;
  const started = Date.now();
  const env = {
    ASSAY_HOST: "127.0.0.1",
    ASSAY_PORT: "0",
    ASSAY_DATA_DIR: dataDir,
    ASSAY_ADMIN_TOKEN: token,
    ASSAY_LOG_LEVEL: "warn",
    ASSAY_RATE_LIMIT_REQUESTS: "10000000",
  };
  let smallEnv = { ...env, ASSAY_DATA_DIR: smallDir };
  const serve = async (serverEnv) => {
    const server = await startServer(serverEnv);
    return { child: server.child, http: client(server.url, token) };
  };
  try {
    let vacuum = null;
    let database = null;
    if (backend === "postgres") {
      database = await createDatabase();
      env.ASSAY_DATABASE_URL = database.url;
      vacuum = await vacuumer(database.url);
    }
    const afterRun = (done) => vacuum?.afterRun(done);
    const seeding = async (from, to) => {
      const server = await serve(env);
      try {
        return await seed(server.http, from, to, afterRun);
      } finally {
        await stopServer(server.child);
      }
    };

    const small = await seeding(0, SMALL_RUNS);
    await vacuum?.settle();
    if (database) smallEnv = { ...smallEnv, ASSAY_DATABASE_URL: (await createDatabase(database.name)).url };
    else fs.cpSync(dataDir, smallDir, { recursive: true });
    const large = await seeding(SMALL_RUNS, RUNS);
    await vacuum?.settle();

    const measured = await measureAll([
      { ...(await serve(smallEnv)), runIds: small.runIds },
      { ...(await serve(env)), runIds: [...small.runIds, ...large.runIds] },
    ]);
    const [atSmall, atLarge] = measured;
    for (const [runs, results] of [
      [SMALL_RUNS, atSmall],
      [RUNS, atLarge],
    ]) {
      console.log(
        `insights p95 ms (${backend}, ${runs * TESTS} results): ${Object.entries(results)
          .map(([k, v]) => `${k}=${fmt(v)}`)
          .join(" ")}`,
      );
    }
    console.log(
      `insights flat-cost ratio (${backend}): ${Object.keys(atLarge)
        .map((k) => {
          const a = atLarge[k];
          const b = atSmall[k];
          return `${k}=${a.error || b.error ? "n/a" : (a.p95 / b.p95).toFixed(2)}`;
        })
        .join(" ")} (goal ≤ 2)`,
    );
    const seeded = (RUNS * TESTS) / (small.seconds + large.seconds);
    console.log(
      `insights seeding results/s (${backend}): ${Math.round(seeded)} (${RUNS} runs × ${TESTS} tests, ${IN_FLIGHT} in flight; ${Math.round((Date.now() - started) / 1000)}s for this backend)`,
    );
    return measured.every((results) => Object.values(results).every((r) => !r.error));
  } finally {
    await Promise.all([...children].map((child) => stopServer(child)));
    for (const name of [...databases]) await dropDatabase(name);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(smallDir, { recursive: true, force: true });
  }
}

async function cleanup() {
  await Promise.all([...children].map((c) => stopServer(c)));
  for (const name of [...databases]) await dropDatabase(name).catch(() => {});
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(130));
  });
}

let ok = true;
try {
  for (const backend of BACKENDS) {
    if (backend === "postgres" && !(await postgresReachable())) {
      console.log(`insights (postgres): skipped, PostgreSQL is not reachable at ${POSTGRES_URL}`);
      continue;
    }
    if (!(await benchBackend(backend))) ok = false;
  }
} catch (error) {
  ok = false;
  console.error(error);
} finally {
  await cleanup();
}
process.exit(ok ? 0 : 1);
