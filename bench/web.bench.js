// Web UI benchmark: the run page of a 100,000-test run in Chromium, against the built server on SQLite.
// Seeds one run through the public API (appends of 5,000 tests, 1% failures with Failure fields carrying ANSI
// colours), signs in, opens /automation/runs/<id> and measures:
//   first_rows_ms   navigation start → the first test row in the DOM
//   filter_ms       click on the "Failed" status chip → the filtered rows rendered (next frame)
//   search_ms       the last character typed in the search box → the matching rows rendered (next frame)
//   longest_task_ms the longest main-thread task (Chrome tracing) while scrolling through the whole table
//   js_gzip_kb      JavaScript the page loaded, gzipped (node:zlib, default level) from packages/web/dist, KiB
// Goals: first rows < 1000, filter/search < 100, longest task < 50, JS < 250 KiB.
//
//   ASSAY_BENCH_WEB_TESTS   tests in the run (default 100000)
//   ASSAY_E2E_CHROMIUM      the browser (default /usr/bin/chromium)
//   ASSAY_BENCH_WEB_TRACE   a file to keep the Chrome trace of the scrolling in (open it in chrome://tracing)
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { chromium } from "playwright-core";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const MAIN = path.join(ROOT, "packages/server/dist/main.js");
const DIST = path.join(ROOT, "packages/web/dist");
const CHROMIUM = process.env.ASSAY_E2E_CHROMIUM ?? "/usr/bin/chromium";
const TESTS = Number(process.env.ASSAY_BENCH_WEB_TESTS ?? 100_000);
const BATCH = 5_000;
const PASSWORD = "web bench password 1234";
const SCROLL_STEPS = 400;

if (!Number.isInteger(TESTS) || TESTS < 1000) throw new Error("ASSAY_BENCH_WEB_TESTS must be a whole number ≥ 1000");
for (const file of [MAIN, path.join(DIST, "index.html")]) {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first`);
}
if (!fs.existsSync(CHROMIUM))
  throw new Error(`${CHROMIUM} is missing (apt-get install chromium, or set ASSAY_E2E_CHROMIUM)`);

// ---------------------------------------------------------------- server

function run(args, env, stdin) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
    });
    child.stderr.on("data", (c) => {
      out += c;
    });
    child.stdin.end(stdin ?? "");
    child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`assay-server ${args[0]}: ${out}`))));
  });
}

async function startServer(env) {
  const child = spawn(process.execPath, [MAIN, "start"], { env, stdio: ["ignore", "pipe", "inherit"] });
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

// ---------------------------------------------------------------- seeding

const E = "\u001b";
const AREAS = ["checkout", "cart", "search", "login", "profile"];

function batch(from, to) {
  const tests = [];
  for (let i = from; i < to; i++) {
    const failed = i % 100 === 7;
    const skipped = !failed && i % 33 === 0;
    const test = {
      key: `t${i}`,
      name: `should handle scenario ${i} of the ${AREAS[i % AREAS.length]} flow`,
      folder: `com.acme.${AREAS[i % AREAS.length]}.Feature${i % 500}Test`,
      status: failed ? "failure" : skipped ? "skipped" : "passed",
      elapsed: 1_000 + ((i * 7919) % 400) * 1_000,
    };
    if (failed) {
      const message = `expected ${i} but was ${i + 1}`;
      test.fields = [
        {
          type: 4,
          name: "Failure",
          value: `${E}[31mAssertionError: ${message}${E}[0m\n    ${E}[2mat com.acme.Feature${i % 500}Test.scenario(Feature${i % 500}Test.java:42)${E}[22m`,
          meta: { message, type: "java.lang.AssertionError" },
          is_highlight: true,
        },
      ];
    }
    tests.push(test);
  }
  return JSON.stringify({ tests });
}

async function seed(url, token) {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const post = async (pathname, body) => {
    const res = await fetch(`${url}/api/v1${pathname}`, { method: "POST", headers, body: body ?? "{}" });
    if (!res.ok) throw new Error(`POST ${pathname} answered ${res.status}: ${await res.text()}`);
    return res.status === 204 ? null : res.json();
  };
  const created = await post("/projects/1/automation/runs", JSON.stringify({ name: "Web bench", source: "web-bench" }));
  const thread = await post(`/automation/runs/${created.id}/threads`);
  for (let from = 0; from < TESTS; from += BATCH) {
    await post(`/automation/runs/threads/${thread.id}/append`, batch(from, Math.min(TESTS, from + BATCH)));
  }
  await post(`/automation/runs/${created.id}/complete`);
  return created.id;
}

// ---------------------------------------------------------------- measuring in the page

/** Installed before the page's scripts: the time (ms since navigation start) the first test row appears. */
function watchFirstRow() {
  const observer = new MutationObserver(() => {
    if (document.querySelector("[data-test-row]")) {
      window.__firstRowAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * Resolves with ms from the next trusted `eventType` event on `selector` (its timeStamp) to the frame after
 * the grid's aria-rowcount changes: the caller then dispatches the event (a real click or key press).
 */
function armTiming([selector, eventType]) {
  const grid = document.querySelector("[role=grid]");
  const target = document.querySelector(selector);
  const before = grid.getAttribute("aria-rowcount");
  window.__timing = new Promise((resolve, reject) => {
    let started = null;
    target.addEventListener(
      eventType,
      (event) => {
        started = event.timeStamp;
      },
      { capture: true, once: true },
    );
    const observer = new MutationObserver(() => {
      if (started === null || grid.getAttribute("aria-rowcount") === before) return;
      observer.disconnect();
      requestAnimationFrame(() =>
        resolve({ ms: performance.now() - started, rows: grid.getAttribute("aria-rowcount") }),
      );
    });
    observer.observe(grid, { attributes: true, attributeFilter: ["aria-rowcount"] });
    setTimeout(() => reject(new Error(`no change of the grid after ${eventType} on ${selector}`)), 30_000);
  });
}

async function scrollThrough(steps) {
  const grid = document.querySelector("[role=grid]");
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const end = grid.scrollHeight - grid.clientHeight;
  for (let step = 1; step <= steps; step++) {
    grid.scrollTop = Math.round((end * step) / steps);
    await frame();
    await frame();
  }
  return { scrolled: grid.scrollTop, rows: document.querySelectorAll("[data-test-row]").length };
}

/** The longest task (ms) on the renderer's main thread in a Chrome trace. */
function longestTask(trace) {
  const events = JSON.parse(trace.toString()).traceEvents ?? [];
  const mains = new Set(
    events
      .filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")
      .map((e) => `${e.pid}:${e.tid}`),
  );
  let longest = 0;
  for (const e of events) {
    if (e.ph !== "X" || !mains.has(`${e.pid}:${e.tid}`)) continue;
    if (e.name !== "RunTask" && e.name !== "ThreadControllerImpl::RunTask") continue;
    longest = Math.max(longest, (e.dur ?? 0) / 1000);
  }
  return longest;
}

function gzipKiB(urls) {
  let bytes = 0;
  for (const url of new Set(urls)) {
    const file = path.join(DIST, new URL(url).pathname);
    if (!file.startsWith(DIST) || !fs.existsSync(file)) throw new Error(`${url} is not a file of ${DIST}`);
    bytes += zlib.gzipSync(fs.readFileSync(file)).length;
  }
  return bytes / 1024;
}

// ---------------------------------------------------------------- main

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-bench-web-"));
const token = `assay_bench_${crypto.randomBytes(12).toString("hex")}`;
const env = {
  PATH: process.env.PATH,
  ASSAY_HOST: "127.0.0.1",
  ASSAY_PORT: "0",
  ASSAY_DATA_DIR: dataDir,
  ASSAY_ADMIN_TOKEN: token,
  ASSAY_LOG_LEVEL: "warn",
  ASSAY_RATE_LIMIT_REQUESTS: "10000000",
};
let server = null;
let browser = null;
try {
  server = await startServer(env);
  await run(["user", "password", "--email", "admin@localhost", "--password-stdin"], env, `${PASSWORD}\n`);
  const runId = await seed(server.url, token);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
  const signIn = await context.request.post(`${server.url}/api/v1/x/auth/sign-in`, {
    data: { email: "admin@localhost", password: PASSWORD },
    headers: { origin: server.url },
  });
  if (signIn.status() !== 200) throw new Error(`sign-in answered ${signIn.status()}: ${await signIn.text()}`);
  await context.addInitScript(watchFirstRow);
  const page = await context.newPage();
  const scripts = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.push(response.url());
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));

  await page.goto(`/automation/runs/${runId}`);
  await page.locator("[data-test-row]").first().waitFor({ timeout: 60_000 });
  const firstRows = await page.evaluate(() => window.__firstRowAt);
  await page.locator('[role=grid][data-complete="true"]').waitFor({ timeout: 120_000 });
  await page.waitForLoadState("networkidle");
  const jsKiB = gzipKiB(scripts);

  // the status filter: a real click on the "Failed" chip
  const failed = page.getByRole("button", { name: /^Failed/ });
  await failed.evaluate((element) => element.setAttribute("data-bench", "failed"));
  await page.evaluate(armTiming, ['[data-bench="failed"]', "click"]);
  await failed.click();
  const filter = await page.evaluate(() => window.__timing);
  await failed.click(); // all statuses again
  await page.waitForTimeout(200);

  // the search: type all but the last character, then time the last one
  const search = page.getByRole("searchbox", { name: "Search tests by name or folder" });
  await search.click();
  await page.keyboard.type("scenario 424", { delay: 30 });
  await page.waitForTimeout(500);
  await page.evaluate(armTiming, ['input[type="search"]', "keydown"]);
  await page.keyboard.press("2");
  const searched = await page.evaluate(() => window.__timing);
  await search.fill("");
  await page.waitForTimeout(500);

  // scrolling through all 100,000 rows while Chrome traces the main thread
  await browser.startTracing(page, {
    categories: ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"],
  });
  const scrolled = await page.evaluate(scrollThrough, SCROLL_STEPS);
  const trace = await browser.stopTracing();
  if (process.env.ASSAY_BENCH_WEB_TRACE) fs.writeFileSync(process.env.ASSAY_BENCH_WEB_TRACE, trace);
  const longest = longestTask(trace);
  if (scrolled.rows === 0) throw new Error("no rows after scrolling");
  if (errors.length > 0) throw new Error(`errors in the page: ${errors.join("; ")}`);

  console.log(
    `web run page (${TESTS} tests): first_rows_ms=${Math.round(firstRows)} filter_ms=${Math.round(filter.ms)} ` +
      `search_ms=${Math.round(searched.ms)} longest_task_ms=${Math.round(longest)} js_gzip_kb=${jsKiB.toFixed(1)}`,
  );
} finally {
  await browser?.close();
  if (server) await stopServer(server.child);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
