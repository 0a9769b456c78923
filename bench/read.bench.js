// Read benchmark: authenticated, rate-limited GETs per second on the Assay server, next to a bare
// Fastify route returning the same JSON object, driven by the same load generator (bench/lib/load.js,
// a separate process, 50 keep-alive connections) in the same run. On SQLite, and on PostgreSQL (with
// Redis for the rate limits, as several instances run) when reachable.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  BENCH_REDIS_URL,
  cpuSeconds,
  createPostgresDatabase,
  listening,
  ROOT,
  request,
  startAssay,
  stopChild,
} from "./lib/servers.js";

const CONNECTIONS = Number(process.env.ASSAY_BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.ASSAY_BENCH_SECONDS ?? 5);

/** Requests per second, and the server's CPU time per request (a shared machine's noise matters less there). */
async function measureLoad(url, pid, headers) {
  const before = cpuSeconds(pid);
  const { rate, requests } = await load(url, headers);
  const after = cpuSeconds(pid);
  return { rate, cpuMs: before === null || after === null ? null : ((after - before) * 1000) / requests };
}

function load(url, headers = {}) {
  const args = [path.join(ROOT, "bench/lib/load.js"), url, String(CONNECTIONS), String(SECONDS)];
  for (const [name, value] of Object.entries(headers)) args.push(`${name}:${value}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`load generator exited ${code}`));
      const result = JSON.parse(out);
      if (result.non2xx || result.errors) {
        return reject(new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`));
      }
      // CPU time is read around the whole run, warm-up included: count its requests too.
      resolve({ rate: result.rate, requests: result.requests + result.warmupRequests });
    });
  });
}

/** A run with 4 threads of 25 tests, and 100 more runs for the list page. */
async function seed(api, token) {
  const run = await request("POST", `${api}/projects/1/automation/runs`, token, { name: "read", source: "bench" });
  for (let t = 0; t < 4; t++) {
    const thread = await request("POST", `${api}/automation/runs/${run.id}/threads`, token, {});
    const tests = Array.from({ length: 25 }, (_, i) => ({
      key: `t${t}x${i}`,
      name: `test ${i}`,
      folder: `suite ${t}`,
      status: i % 10 === 0 ? "failure" : "passed",
      elapsed: 1000 + i,
    }));
    await request("POST", `${api}/automation/runs/threads/${thread.id}/append`, token, { tests });
  }
  for (let i = 0; i < 99; i++) {
    await request("POST", `${api}/projects/1/automation/runs`, token, { name: `run ${i}`, source: "bench" });
  }
  return {
    user: "/api/v1/user",
    threads: `/api/v1/automation/runs/${run.id}`,
    list: "/api/v1/projects/1/automation/runs?per_page=100",
  };
}

async function startBare(routes) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-bare-")), "routes.json");
  fs.writeFileSync(file, JSON.stringify(routes));
  const child = spawn(process.execPath, [path.join(ROOT, "bench/lib/bare-server.js"), file], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await listening(child, /listening (\S+)/);
  return {
    url,
    pid: child.pid,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
}

async function measure(label, env) {
  const server = await startAssay(env);
  let bare = null;
  try {
    const paths = await seed(`${server.url}/api/v1`, server.token);
    const bodies = {};
    for (const p of Object.values(paths)) bodies[p] = await request("GET", `${server.url}${p}`, server.token);
    if (bodies[paths.list].result.length !== 100) throw new Error("the list page does not hold 100 runs");
    bare = await startBare(bodies);
    const auth = { authorization: `Bearer ${server.token}` };
    for (const [name, p] of Object.entries(paths)) {
      const assay = await measureLoad(`${server.url}${p}`, server.pid, auth);
      const baseline = await measureLoad(`${bare.url}${p}`, bare.pid);
      const what = { user: "", threads: " (run with threads)", list: " (list of 100 runs)" }[name];
      const cpu = (m) => (m.cpuMs === null ? "" : `, ${m.cpuMs.toFixed(3)} ms CPU/request`);
      console.log(
        `read ${label}${what}: ${Math.round(assay.rate)} req/s${cpu(assay)} vs bare Fastify ${Math.round(baseline.rate)} req/s${cpu(baseline)} (${CONNECTIONS} connections, GET ${p})`,
      );
      const suffix = { user: "", threads: " threads", list: " list" }[name];
      console.log(
        `read ratio${label === "sqlite" ? "" : ` (${label})`}${suffix}: ${(assay.rate / baseline.rate).toFixed(2)}`,
      );
    }
  } finally {
    await bare?.stop();
    await server.stop();
  }
}

await measure("sqlite", {});
const database = await createPostgresDatabase();
if (database) {
  try {
    await measure("postgres", {
      ASSAY_DATABASE_URL: database.url,
      ASSAY_REDIS_URL: BENCH_REDIS_URL,
      ASSAY_REDIS_KEY_PREFIX: `bench-${process.pid}`,
    });
  } finally {
    await database.drop();
  }
} else {
  console.log("read (postgres): skipped, PostgreSQL not reachable (set ASSAY_BENCH_POSTGRES_URL)");
}
