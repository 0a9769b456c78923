import crypto from "node:crypto";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_HEADERS } from "../plugins/errors.js";
import { BACKENDS } from "../test-support/backends.js";
import { readResponse } from "../test-support/http.js";
import {
  createUserWithToken,
  runServerCommand,
  startServerProcess,
  type TestServer,
} from "../test-support/server-process.js";
import {
  type FuzzRequest,
  makeRequest,
  type Operation,
  operationsOf,
  Random,
  type TokenKind,
} from "./fuzz-requests.js";

/**
 * "No input ever gets a 5xx; every 4xx is the contract's JSON error; a rejected
 * request changes nothing", kept true by fuzzing every operation of the live
 * openapi.json on every backend (see fuzz-requests.ts for what is generated).
 *
 * ASSAY_FUZZ_REQUESTS (per backend, default 500) and ASSAY_FUZZ_SEED (default
 * fixed, so CI is deterministic; PostgreSQL uses seed + 1) reproduce a run; a failure prints them.
 */
const REQUESTS = Number(process.env.ASSAY_FUZZ_REQUESTS ?? 500);
const SEED = Number(process.env.ASSAY_FUZZ_SEED ?? 20_261_130);
/** ASSAY_FUZZ_BACKEND=sqlite|postgres runs one backend only (to reproduce a failure, or run both in parallel) */
const FUZZ_BACKENDS = BACKENDS.filter((b) => (process.env.ASSAY_FUZZ_BACKEND ?? b) === b);

/** Rows that change without a write request: when a token or a web session was last used; job leases. */
const VOLATILE_COLUMNS = ["last_used_at", "last_seen_at"];
const VOLATILE_TABLES = new Set(["job_leases"]);

/** The parts of the server's OpenAPI document the fuzz reads its operations from. */
type OpenApiDocument = Parameters<typeof operationsOf>[0];

/**
 * A digest of every row of every table (volatile columns left out), to prove that nothing changed.
 */
interface Digester {
  digest(): Promise<string>;
  close(): Promise<void>;
}

function sqliteDigester(server: TestServer): Digester {
  const db = new SQLite(path.join(server.dataDir, "assay.sqlite"), { readonly: true, fileMustExist: true });
  const names = db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .pluck()
    .all() as string[];
  const selects = names
    .filter((name) => !VOLATILE_TABLES.has(name))
    .map((name) => {
      const columns = (db.prepare(`select name from pragma_table_info('${name}')`).pluck().all() as string[])
        .filter((c) => !VOLATILE_COLUMNS.includes(c))
        .map((c) => `"${c}"`);
      return { name, statement: db.prepare(`select ${columns.join(", ")} from "${name}"`).raw() };
    });
  return {
    async digest() {
      const hash = crypto.createHash("sha256");
      for (const { name, statement } of selects) {
        hash.update(`#${name}`);
        for (const row of statement.iterate() as Iterable<unknown[]>) {
          hash.update(JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v)));
        }
      }
      return hash.digest("hex");
    },
    async close() {
      db.close();
    },
  };
}

async function postgresDigester(server: TestServer): Promise<Digester> {
  const client = new pg.Client({ connectionString: server.env.ASSAY_DATABASE_URL });
  await client.connect();
  const { rows } = await client.query<{ tablename: string }>(
    "select tablename from pg_tables where schemaname = 'public' order by tablename",
  );
  const { rows: volatile } = await client.query<{ table_name: string }>(
    "select distinct table_name from information_schema.columns where table_schema = 'public' and column_name = any($1)",
    [VOLATILE_COLUMNS],
  );
  const withVolatile = new Set(volatile.map((r) => r.table_name));
  const drop = VOLATILE_COLUMNS.map((c) => ` - '${c}'`).join("");
  // Every insert or update gives the row a new, higher xmin: count plus max(xmin) sees any change
  // without reading the rows' contents. Tables with volatile columns are hashed without those.
  const parts = rows
    .map((r) => r.tablename)
    .filter((name) => !VOLATILE_TABLES.has(name))
    .map((name) =>
      withVolatile.has(name)
        ? `(select '${name}:' || count(*) || ':' || coalesce(sum(hashtextextended((to_jsonb(t)${drop})::text, 0)), 0) from "${name}" t)`
        : `(select '${name}:' || count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from "${name}")`,
    );
  const query = `select md5(${parts.join(" || ")}) as digest`;
  return {
    async digest() {
      return (await client.query<{ digest: string }>(query)).rows[0]!.digest;
    },
    close: () => client.end(),
  };
}

interface Outcome {
  status: number;
  problem: string | null;
}

/** What is wrong with a response to `request`, if anything. */
function contractProblem(request: FuzzRequest, status: number, headers: Headers, text: string): string | null {
  if (status >= 500) return `${status} ${text.slice(0, 300)}`;
  if (!headers.get("ratelimit-policy") || !headers.get("ratelimit")) return `${status} without RateLimit headers`;
  for (const [name, value] of Object.entries(API_HEADERS)) {
    if (headers.get(name) !== value) return `${status} without ${name}: ${value}`;
  }
  if (status < 400 || request.method === "HEAD") return null;
  if (!(headers.get("content-type") ?? "").includes("application/json")) return `${status} is not JSON`;
  let body: { message?: unknown; errors?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} body is not valid JSON: ${text.slice(0, 100)}`;
  }
  if (typeof body.message !== "string" || body.message.length === 0) return `${status} without a message`;
  const errors = body.errors;
  if (errors !== undefined) {
    const ok =
      typeof errors === "object" &&
      errors !== null &&
      Object.values(errors).every((list) => Array.isArray(list) && list.every((m) => typeof m === "string"));
    if (!ok) return `${status} errors is not {field: [messages]}: ${JSON.stringify(errors).slice(0, 200)}`;
  }
  return null;
}

describe.each(FUZZ_BACKENDS)("API fuzz on %s", (backend) => {
  let server: TestServer;
  let operations: Operation[];
  let digester: Digester;
  const tokens = {} as Record<TokenKind, string | null>;
  /** the data's digest after the last write-method request */
  let before = "";

  beforeAll(async () => {
    server = await startServerProcess({ backend, env: { ASSAY_RATE_LIMIT_REQUESTS: "10000000" } });
    await runServerCommand(server, ["demo"]);
    tokens.admin = server.token;
    tokens.none = null;
    tokens.bad = "assay_not_a_real_token";
    tokens["read-only"] = await createUserWithToken(server, "fuzz-reader@example.com", "read-only");
    const doc = await readResponse<OpenApiDocument>(await fetch(`${server.url}/api/v1/openapi.json`));
    operations = operationsOf(doc.body);
    digester = backend === "sqlite" ? sqliteDigester(server) : await postgresDigester(server);
  }, 120_000);
  afterAll(async () => {
    await digester?.close();
    await server?.stop();
  });

  /**
   * A generated request may legitimately revoke the fuzz's own token (`DELETE /x/me/tokens/1`) or
   * demote its user: a fresh one keeps the rest of the run meaningful.
   */
  async function renewToken(kind: "admin" | "read-only"): Promise<void> {
    const works = await fetch(`${server.url}/api/v1/user`, { headers: { authorization: `Bearer ${tokens[kind]}` } });
    if (works.status !== 401) return;
    const email = `fuzz-${kind}-${crypto.randomBytes(4).toString("hex")}@example.com`;
    tokens[kind] = await createUserWithToken(server, email, kind === "admin" ? "administrator" : "read-only");
    before = await digester.digest();
  }

  async function send(request: FuzzRequest): Promise<Outcome> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    const token = tokens[request.token];
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const res = await fetch(`${server.url}/api/v1${request.url}`, {
        method: request.method,
        headers,
        body: request.body,
      });
      const text = await res.text();
      return { status: res.status, problem: contractProblem(request, res.status, res.headers, text) };
    } catch (error) {
      return { status: 0, problem: `no answer: ${(error as Error).cause ?? error}` };
    }
  }

  it(
    `answers ${REQUESTS} generated requests without a 5xx, with contract errors, changing nothing when rejecting`,
    async () => {
      const seed = SEED + (backend === "postgres" ? 1 : 0);
      const random = new Random(seed);
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      // The digest sees a write (else it could not catch a rejected request's change either).
      const initial = await digester.digest();
      const created = await send({
        method: "POST",
        url: "/projects/2/automation/runs",
        headers: { "content-type": "application/json" },
        body: '{"name":"fuzz","source":"fuzz"}',
        token: "admin",
        note: "",
      });
      expect(created.status).toBe(201);
      before = await digester.digest();
      expect(before).not.toBe(initial);
      let digestMs = 0;
      const startedAt = performance.now();
      for (let i = 0; i < REQUESTS && failures.length < 20; i++) {
        const request = makeRequest(operations, random);
        if (i > 0 && i % 1000 === 0) console.info(`fuzz on ${backend}: ${i} requests, ${failures.length} failures`);
        const { status, problem } = await send(request);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const what = () =>
          `#${i} ${request.method} ${request.url.slice(0, 160)} [${request.token}; ${request.note}] body ${JSON.stringify(request.body?.slice(0, 120) ?? null)}`;
        if (problem) failures.push(`${what()} → ${problem}`);
        if (status === 401 && (request.token === "admin" || request.token === "read-only"))
          await renewToken(request.token);
        if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") continue;
        // Every write-method request is followed by a digest: a rejected one must leave it as it was.
        const started = performance.now();
        const after = await digester.digest();
        digestMs += performance.now() - started;
        if (status >= 400 && after !== before) failures.push(`${what()} → ${status}, yet the data changed`);
        before = after;
      }
      const summary = [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(" ");
      console.info(
        `fuzz on ${backend}: ${REQUESTS} requests, seed ${seed}, ${Math.round(performance.now() - startedAt)} ms (digests ${Math.round(digestMs)} ms): ${summary}`,
      );
      expect(
        failures,
        `Reproduce: ASSAY_FUZZ_BACKEND=${backend} ASSAY_FUZZ_SEED=${SEED} ASSAY_FUZZ_REQUESTS=${REQUESTS} npx vitest run packages/server/src/acceptance/fuzz.test.ts`,
      ).toEqual([]);
    },
    REQUESTS * 400 + 120_000,
  );
});
