// Shared by the benchmarks: start the built Assay server, a fresh PostgreSQL database, small HTTP helpers.
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const ROOT = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
export const BENCH_POSTGRES_URL = process.env.ASSAY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const BENCH_REDIS_URL = process.env.ASSAY_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A new empty PostgreSQL database, or null when none is reachable (the PostgreSQL lines are then skipped). */
export async function createPostgresDatabase() {
  const name = `assay_bench_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch {
    return null;
  } finally {
    await admin.end().catch(() => {});
  }
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Starts `assay-server start` on a free port; `env` adds ASSAY_* variables. */
export async function startAssay(env = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-"));
  const token = `assay_bench_${crypto.randomBytes(12).toString("hex")}`;
  const child = spawn(process.execPath, [path.join(ROOT, "packages/server/dist/main.js"), "start"], {
    env: {
      PATH: process.env.PATH,
      ASSAY_HOST: "127.0.0.1",
      ASSAY_PORT: "0",
      ASSAY_DATA_DIR: dataDir,
      ASSAY_ADMIN_TOKEN: token,
      ASSAY_LOG_LEVEL: "warn",
      ASSAY_RATE_LIMIT_REQUESTS: "10000000",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await listening(child, /Assay listening on (\S+)/);
  return {
    url,
    token,
    pid: child.pid,
    async stop() {
      await stopChild(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function listening(child, pattern) {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      const m = pattern.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`process exited ${code} before listening: ${out}`)));
  });
}

export async function stopChild(child) {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

export async function request(method, url, token, body) {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/** CPU seconds (user + system) a process has used so far, from /proc on Linux; null elsewhere. */
export function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
