// End-to-end benchmark of the `assay` CLI (issue 12), run by `npm run bench` (after `npm run build`) or alone:
//   node bench/cli-upload.bench.js
// Prints, measured in this one run:
//   cli overhead ratio: <wall of `assay automation:run:submit` for a 100,000-test JUnit file (~16 MB)>
//                       ÷ <wall of posting the same tests, as prepared JSON in the same batches, to the server>
//   cli peak rss mb: <that upload> / <a 500 MB file uploaded to a sink server>
// Each side gets a fresh server (SQLite in a temp dir), so neither profits from the other's data.
// ASSAY_BENCH_TESTS and ASSAY_BENCH_BIG_MB change the sizes; ASSAY_BENCH_BIG_MB=0 skips the big file.
// ASSAY_BENCH_SERVER_MAIN and ASSAY_BENCH_CLI_DIR point at other builds of the server and the CLI.
// Files are generated (streamed) into a temp dir and deleted afterwards. Exits non-zero when
// anything fails or a run does not hold every test.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeJunit } from "./lib/junit-report.js";

const TESTS = Number(process.env.ASSAY_BENCH_TESTS ?? 100_000);
const BIG_MB = Number(process.env.ASSAY_BENCH_BIG_MB ?? 500);
const BATCH = 1000; // the CLI's default --batch-size
const TOKEN = "assay-bench-admin-token-0123456789";
const MIB = 1024 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const serverMain = process.env.ASSAY_BENCH_SERVER_MAIN || join(root, "packages/server/dist/main.js");
// ASSAY_BENCH_CLI_DIR measures another build of the CLI (e.g. an older one, for before/after figures).
const cliDir = process.env.ASSAY_BENCH_CLI_DIR || join(root, "packages/cli");
const cliMain = join(cliDir, "dist/main.js");
const cliJunit = join(root, "packages/cli/dist/junit/index.js");

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

async function waitForServer(url, child) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      await fetch(`${url}/api/v1/projects`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error("server did not start within 60 s");
}

/** A fresh Assay server with its own SQLite database in `dir`. */
async function startServer(dir) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [serverMain, "start"], {
    env: {
      ...process.env,
      ASSAY_HOST: "127.0.0.1",
      ASSAY_PORT: String(port),
      ASSAY_DATA_DIR: dir,
      ASSAY_ADMIN_TOKEN: TOKEN,
      ASSAY_LOG_LEVEL: "warn",
      ASSAY_RATE_LIMIT_REQUESTS: "1000000",
    },
    // stdout holds the first-start banner; warnings and errors go to stderr
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitForServer(url, child);
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit").catch(() => {});
    },
  };
}

/**
 * A server that accepts everything at once (ids for creates, 204 for the rest): the CLI's
 * memory on a file far bigger than any server benchmark here should ingest.
 */
async function startSink() {
  let nextId = 1;
  let tests = 0;
  const server = createHttpServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.url.endsWith("/append") && req.url.includes("/threads/")) tests += JSON.parse(body).tests.length;
    if (req.method === "GET") {
      res.writeHead(req.url.includes("/comparison") ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: 1, result: { id: 1, is_completed: false } }));
    } else if (/\/automation\/runs$|\/threads$/.test(req.url)) {
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: nextId++ }));
    } else {
      res.writeHead(204);
      res.end();
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${server.address().port}`, tests: () => tests, stop: () => server.close() };
}

/** Runs the built CLI; returns its wall time, exit code, stdout and peak RSS (written by an --import hook). */
async function runCli(args, work) {
  const rssFile = join(work, `rss-${Date.now()}.txt`);
  const hook = join(work, "rss-hook.mjs");
  await writeFile(
    hook,
    'import { writeFileSync } from "node:fs";\n' +
      "process.on('exit', () => writeFileSync(process.env.ASSAY_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
  );
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ["--import", hook, cliMain, ...args], {
    env: { ...process.env, ASSAY_TOKEN: TOKEN, CI: "true", ASSAY_BENCH_RSS_FILE: rssFile },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-10_000); // progress lines; kept for a failure message
  });
  const [code] = await once(child, "close");
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssMb = Number(readFileSync(rssFile, "utf8")) / 1024;
  return { code, stdout: `${stdout}${stderr}`, seconds, rssMb };
}

const submitArgs = (url, report, name) => [
  "automation:run:submit",
  "--instance",
  url,
  "--project-id",
  "1",
  "--name",
  name,
  "--source",
  "bench",
  "--results",
  report,
];

async function post(url, path, body) {
  const response = await fetch(`${url}/api/v1${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The same tests as the CLI sends them, serialised before the clock starts. */
async function preparedBatches(report) {
  const { parseJUnitFile, toWireTest } = await import(cliJunit);
  const batches = [];
  let batch = [];
  for await (const test of parseJUnitFile(report)) {
    batch.push(toWireTest(test));
    if (batch.length === BATCH) {
      batches.push(JSON.stringify({ tests: batch }));
      batch = [];
    }
  }
  if (batch.length > 0) batches.push(JSON.stringify({ tests: batch }));
  return batches;
}

/** The server alone: run, thread, the prepared appends one after the other, complete. */
async function directIngest(url, batches) {
  const started = process.hrtime.bigint();
  const run = await post(url, "/projects/1/automation/runs", JSON.stringify({ name: "direct", source: "bench" }));
  const thread = await post(url, `/automation/runs/${run.id}/threads`, JSON.stringify({ elapsed_computed: 0 }));
  for (const body of batches) await post(url, `/automation/runs/threads/${thread.id}/append`, body);
  await post(url, `/automation/runs/${run.id}/complete`, JSON.stringify({ measure_elapsed: false }));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, runId: run.id };
}

async function totalCount(url, runId) {
  const response = await fetch(`${url}/api/v1/automation/runs/${runId}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  return (await response.json()).result.total_count;
}

async function main() {
  for (const file of [serverMain, cliMain]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  }
  const work = await mkdtemp(join(tmpdir(), "assay-bench-cli-"));
  try {
    const report = join(work, "bench.xml");
    await writeJunit(report, { count: TESTS });
    const reportMb = statSync(report).size / MIB;
    const batches = await preparedBatches(report);

    const direct = await startServer(join(work, "direct"));
    let ingest;
    try {
      ingest = await directIngest(direct.url, batches);
      const stored = await totalCount(direct.url, ingest.runId);
      if (stored !== TESTS) throw new Error(`direct run holds ${stored} tests, expected ${TESTS}`);
    } finally {
      await direct.stop();
    }

    const viaCli = await startServer(join(work, "cli"));
    let cli;
    try {
      cli = await runCli(submitArgs(viaCli.url, report, "bench upload"), work);
      if (cli.code !== 0) throw new Error(`assay exited with code ${cli.code}\n${cli.stdout}`);
      const runId = /Created new test automation run \(ID: (\d+)\)/.exec(cli.stdout)?.[1];
      const stored = await totalCount(viaCli.url, runId);
      if (stored !== TESTS) throw new Error(`run ${runId} holds ${stored} tests, expected ${TESTS}`);
    } finally {
      await viaCli.stop();
    }

    console.log(`cli upload: ${TESTS} tests (${reportMb.toFixed(1)} MB) in ${cli.seconds.toFixed(2)} s wall time`);
    console.log(`server ingest of the same batches as prepared JSON: ${ingest.seconds.toFixed(2)} s`);
    console.log(`upload results/s: ${Math.round(TESTS / cli.seconds)}`);
    console.log(`cli overhead ratio: ${(cli.seconds / ingest.seconds).toFixed(2)} (goal: at most 1.3)`);

    let bigRss = "skipped";
    if (BIG_MB > 0) {
      const big = join(work, "big.xml");
      const bigTests = await writeJunit(big, { bytes: BIG_MB * MIB });
      const sink = await startSink();
      try {
        const result = await runCli(submitArgs(sink.url, big, "bench big file"), work);
        if (result.code !== 0) throw new Error(`assay exited with code ${result.code} on the big file`);
        if (sink.tests() !== bigTests) throw new Error(`the sink got ${sink.tests()} tests, expected ${bigTests}`);
        console.log(
          `cli big file: ${bigTests} tests (${(statSync(big).size / MIB).toFixed(0)} MB) to a sink server in ` +
            `${result.seconds.toFixed(1)} s, ${(statSync(big).size / MIB / result.seconds).toFixed(1)} MB/s`,
        );
        bigRss = result.rssMb.toFixed(0);
      } finally {
        sink.stop();
        await rm(big, { force: true });
      }
    }
    console.log(
      `cli peak rss mb: ${cli.rssMb.toFixed(0)} (${TESTS} tests) / ${bigRss} (${BIG_MB} MB) (goal: at most 100)`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`cli upload bench failed: ${error.message}`);
  process.exitCode = 1;
});
