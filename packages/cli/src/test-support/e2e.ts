import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, fetch as undiciFetch } from "undici";
import { CI_DETECTION_VARIABLES } from "../ci/metadata.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
/** ASSAY_E2E_SERVER_MAIN points the CLI's end-to-end tests at another server build (e.g. a released one). */
export const serverMain = process.env.ASSAY_E2E_SERVER_MAIN || join(repoRoot, "packages/server/dist/main.js");
export const cliMain = join(repoRoot, "packages/cli/dist/main.js");
export const ADMIN_TOKEN = "assay-e2e-admin-token-0123456789";

/** Both built entry points exist (e2e tests are skipped, loudly, when they do not). */
export const builtForE2e = existsSync(serverMain) && existsSync(cliMain);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningServer {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
  /** The server's recent stdout and stderr. */
  log(): string;
  /** GET /api/v1<path> with the admin token. */
  get<T = unknown>(path: string): Promise<T>;
}

export interface TlsFiles {
  /** PEM certificate for IP 127.0.0.1, self-signed: also the CA to trust (NODE_EXTRA_CA_CERTS) */
  certPath: string;
  keyPath: string;
}

/** A one-day self-signed certificate for https://127.0.0.1, made with the system's openssl. */
export function selfSignedCertificate(dir: string): TlsFiles {
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyPath,
      "-out",
      certPath,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return { certPath, keyPath };
}

/**
 * Starts the real server (SQLite in a temp dir) as a separate process and waits until it
 * answers; over HTTPS with `tls`.
 */
export async function startServer(env: Record<string, string> = {}, tls?: TlsFiles): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "assay-e2e-server-"));
  const port = await freePort();
  const fetch = tls ? trustingFetch(readFileSync(tls.certPath, "utf8")) : globalThis.fetch;
  if (tls) env = { ASSAY_TLS_CERT: tls.certPath, ASSAY_TLS_KEY: tls.keyPath, ...env };
  const child = spawn(process.execPath, [serverMain, "start"], {
    env: {
      ...process.env,
      ASSAY_HOST: "127.0.0.1",
      ASSAY_PORT: String(port),
      ASSAY_DATA_DIR: dataDir,
      ASSAY_ADMIN_TOKEN: ADMIN_TOKEN,
      ASSAY_LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Kept for the failure message: a test that sees ECONNREFUSED wants to know why the server died.
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", (code, signal) => {
    if (!stopping) process.stderr.write(`assay server exited unexpectedly (${code ?? signal}):\n${log}\n`);
  });
  let stopping = false;
  const url = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  await waitUntilListening(url, child, fetch);
  const get = async <T>(path: string): Promise<T> => {
    for (;;) {
      const response = await fetch(`${url}/api/v1${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
      // The rate-limit tests share the admin token with the CLI: wait like the CLI does.
      if (response.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get("retry-after") ?? 1)));
        continue;
      }
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    }
  };
  return {
    url,
    dataDir,
    get,
    log: () => log,
    async stop() {
      stopping = true;
      await stopProcess(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fetch that trusts `ca` (the test process cannot take NODE_EXTRA_CA_CERTS after it started). */
function trustingFetch(ca: string): typeof fetch {
  const dispatcher = new Agent({ connect: { ca } });
  return ((input, init) => undiciFetch(input as string, { ...init, dispatcher } as never)) as typeof fetch;
}

async function waitUntilListening(url: string, child: ChildProcess, fetch: typeof globalThis.fetch): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      await fetch(`${url}/api/v1/projects`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error("server did not start within 60 s");
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CI services' detection variables and GitHub's job summary file blanked, so that a test run
 * inside CI neither gets CI metadata it did not ask for nor writes to the real job summary.
 */
export const NO_CI_ENV: Record<string, string> = Object.fromEntries(
  [...CI_DETECTION_VARIABLES, "GITHUB_STEP_SUMMARY"].map((name) => [name, ""]),
);

/** Runs the built `assay` as a separate process (outside any CI service unless `env` says otherwise). */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...NO_CI_ENV, CI: "true", ASSAY_TOKEN: ADMIN_TOKEN, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface GeneratedTests {
  passed: number;
  failed: number;
  skipped: number;
  /** Tests per <testsuite>; every test gets a unique classname.name. */
  perSuite?: number;
  /** Prefix of classnames, so several files never share a key. */
  prefix?: string;
}

/** A JUnit XML document with the given counts (failures carry a message and text, like real reports). */
export function junitXml(spec: GeneratedTests): string {
  const prefix = spec.prefix ?? "com.example";
  const perSuite = spec.perSuite ?? 100;
  const statuses = [
    ...Array<string>(spec.passed).fill("passed"),
    ...Array<string>(spec.failed).fill("failed"),
    ...Array<string>(spec.skipped).fill("skipped"),
  ];
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'];
  for (let start = 0; start < statuses.length; start += perSuite) {
    const suite = `${prefix}.Suite${start / perSuite}`;
    parts.push(`  <testsuite name="${suite}" tests="${Math.min(perSuite, statuses.length - start)}">\n`);
    for (let i = start; i < Math.min(start + perSuite, statuses.length); i++) {
      const open = `    <testcase classname="${suite}" name="test_${i}" time="0.00${i % 10}"`;
      if (statuses[i] === "failed") {
        parts.push(
          `${open}><failure message="expected 1 to be 2" type="AssertionError">at line ${i}</failure></testcase>\n`,
        );
      } else if (statuses[i] === "skipped") {
        parts.push(`${open}><skipped/></testcase>\n`);
      } else {
        parts.push(`${open}/>\n`);
      }
    }
    parts.push("  </testsuite>\n");
  }
  parts.push("</testsuites>\n");
  return parts.join("");
}

export async function writeJunit(dir: string, name: string, spec: GeneratedTests): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, junitXml(spec));
  return path;
}

export interface RunCounts {
  status: number;
  is_completed: boolean;
  total_count: number;
  status1_count: number;
  status2_count: number;
  status5_count: number;
  threads: { id: number; is_completed: boolean; total_count: number }[];
}

export async function runCounts(server: RunningServer, runId: number): Promise<RunCounts> {
  const { result } = await server.get<{ result: RunCounts }>(`/automation/runs/${runId}`);
  return result;
}

export function createdRunId(stdout: string): number {
  const match = /Created new test automation run \(ID: (\d+)\)/.exec(stdout);
  if (!match) throw new Error(`no run id in output:\n${stdout}`);
  return Number(match[1]);
}
