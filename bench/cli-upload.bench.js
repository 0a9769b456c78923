// End-to-end upload benchmark of the `assay` CLI: 100,000 JUnit tests submitted to a local
// server. Run by `npm run bench` (after `npm run build`), or alone: node bench/cli-upload.bench.js
// Prints `upload results/s: <n>` and the wall time; exits non-zero when anything fails or the
// run does not hold exactly 100,000 tests.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TESTS = Number(process.env.ASSAY_BENCH_TESTS ?? 100_000);
const TOKEN = "assay-bench-admin-token-0123456789";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const serverMain = join(root, "packages/server/dist/main.js");
const cliMain = join(root, "packages/cli/dist/main.js");

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/** Writes a realistic report: 100 tests per suite, 5 % failures with a message and stack, 2 % skipped. */
async function writeJunit(path, count) {
  const out = createWriteStream(path);
  const write = async (text) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n');
  for (let start = 0; start < count; start += 100) {
    const suite = `com.example.bench.Suite${start / 100}`;
    await write(`  <testsuite name="${suite}" tests="${Math.min(100, count - start)}">\n`);
    for (let i = start; i < Math.min(start + 100, count); i++) {
      const open = `    <testcase classname="${suite}" name="test_${i}" time="0.0${i % 90}"`;
      if (i % 20 === 7) {
        await write(
          `${open}><failure message="expected ${i} to equal ${i + 1}" type="AssertionError">` +
            `AssertionError: expected ${i} to equal ${i + 1}\n    at ${suite}.test_${i}(Suite.java:${i})</failure></testcase>\n`,
        );
      } else if (i % 50 === 3) {
        await write(`${open}><skipped message="not on this platform"/></testcase>\n`);
      } else {
        await write(`${open}/>\n`);
      }
    }
    await write("  </testsuite>\n");
  }
  await write("</testsuites>\n");
  out.end();
  await once(out, "finish");
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

function run(command, args, options) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout }));
  });
}

async function main() {
  for (const file of [serverMain, cliMain]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
  }
  const work = await mkdtemp(join(tmpdir(), "assay-bench-cli-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [serverMain, "start"], {
    env: {
      ...process.env,
      ASSAY_HOST: "127.0.0.1",
      ASSAY_PORT: String(port),
      ASSAY_DATA_DIR: join(work, "data"),
      ASSAY_ADMIN_TOKEN: TOKEN,
      ASSAY_LOG_LEVEL: "warn",
      ASSAY_RATE_LIMIT_REQUESTS: "1000000",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    const report = join(work, "bench.xml");
    await writeJunit(report, TESTS);
    await waitForServer(url, server);

    const started = process.hrtime.bigint();
    const result = await run(
      process.execPath,
      [
        cliMain,
        "automation:run:submit",
        "--instance",
        url,
        "--project-id",
        "1",
        "--name",
        "bench upload",
        "--source",
        "bench",
        "--results",
        report,
      ],
      { env: { ...process.env, ASSAY_TOKEN: TOKEN, CI: "true" } },
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.code !== 0) throw new Error(`assay exited with code ${result.code}\n${result.stdout}`);

    const runId = /Created new test automation run \(ID: (\d+)\)/.exec(result.stdout)?.[1];
    if (!runId) throw new Error(`no run id in the output:\n${result.stdout}`);
    const response = await fetch(`${url}/api/v1/automation/runs/${runId}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    const { result: uploaded } = await response.json();
    if (uploaded.total_count !== TESTS)
      throw new Error(`run ${runId} holds ${uploaded.total_count} tests, expected ${TESTS}`);

    console.log(`cli upload: ${TESTS} tests in ${seconds.toFixed(2)} s wall time (parse + upload + complete)`);
    console.log(`upload results/s: ${Math.round(TESTS / seconds)}`);
  } finally {
    server.kill("SIGTERM");
    await once(server, "exit").catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`cli upload bench failed: ${error.message}`);
  process.exitCode = 1;
});
