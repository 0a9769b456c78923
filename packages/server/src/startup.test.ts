import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BACKENDS, TEST_POSTGRES_URL } from "./test-support/backends.js";
import { listening, runMain, spawnMain, terminate } from "./test-support/spawn.js";

/**
 * Start-up failures of the real server process: each is one sentence on stderr
 * that names the cause and the variable to fix, exit code 1, never a stack trace.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-startup-"));
  dirs.push(dir);
  return dir;
}

function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ASSAY_HOST: "127.0.0.1", ASSAY_PORT: "0", ASSAY_DATA_DIR: tempDir(), ASSAY_LOG_LEVEL: "warn", ...extra };
}

async function expectStartFailure(env: Record<string, string>, variable: string, cause: RegExp) {
  const { code, stdout, stderr } = await runMain(["start"], env);
  expect(code).toBe(1);
  expect(stdout).not.toContain("Assay listening");
  const lines = stderr.trim().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^assay-server: cannot start: /);
  expect(lines[0]).toContain(variable);
  expect(lines[0]).toMatch(cause);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("start-up failures", () => {
  it("port in use names ASSAY_PORT", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expectStartFailure(baseEnv({ ASSAY_PORT: String(port) }), "ASSAY_PORT", /already in use/);
    } finally {
      blocker.close();
    }
  });

  it("a host that does not resolve names ASSAY_HOST", async () => {
    await expectStartFailure(baseEnv({ ASSAY_HOST: "no-such-host.invalid" }), "ASSAY_HOST", /does not resolve/);
  });

  it("an address not on this machine names ASSAY_HOST", async () => {
    await expectStartFailure(baseEnv({ ASSAY_HOST: "192.0.2.1" }), "ASSAY_HOST", /not an address of this machine/);
  });

  it("unreachable PostgreSQL names ASSAY_DATABASE_URL", async () => {
    const port = await closedPort();
    const env = baseEnv({ ASSAY_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/assay` });
    await expectStartFailure(
      env,
      "ASSAY_DATABASE_URL",
      new RegExp(`127\\.0\\.0\\.1:${port} is unreachable \\(ECONNREFUSED\\)`),
    );
  });

  it("PostgreSQL that accepts the connection but never answers fails after the connect timeout", async () => {
    // what a host behind a firewall that drops packets looks like once the SYN gets through
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      await expectStartFailure(
        baseEnv({
          ASSAY_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/assay`,
          ASSAY_DATABASE_CONNECT_TIMEOUT_SECONDS: "1",
        }),
        "ASSAY_DATABASE_URL",
        new RegExp(`127\\.0\\.0\\.1:${port} did not answer within 1 s \\(ASSAY_DATABASE_CONNECT_TIMEOUT_SECONDS\\)`),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it.runIf(BACKENDS.includes("postgres"))("a missing PostgreSQL database names it and ASSAY_DATABASE_URL", async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = "/assay_no_such_database";
    await expectStartFailure(
      baseEnv({ ASSAY_DATABASE_URL: url.toString() }),
      "ASSAY_DATABASE_URL",
      /"assay_no_such_database", which does not exist .*createdb assay_no_such_database/,
    );
  });

  it("a missing TLS file names ASSAY_TLS_CERT", async () => {
    const dir = tempDir();
    const env = baseEnv({ ASSAY_TLS_CERT: path.join(dir, "nope.pem"), ASSAY_TLS_KEY: path.join(dir, "key.pem") });
    await expectStartFailure(env, "ASSAY_TLS_CERT", /cannot be read \(ENOENT/);
  });

  it("TLS files that are not PEM name both variables", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "cert.pem"), "not a certificate\n");
    fs.writeFileSync(path.join(dir, "key.pem"), "not a key\n");
    const env = baseEnv({ ASSAY_TLS_CERT: path.join(dir, "cert.pem"), ASSAY_TLS_KEY: path.join(dir, "key.pem") });
    await expectStartFailure(env, "ASSAY_TLS_KEY", /are not a PEM certificate and its private key/);
  });

  it("a data directory that is a file names ASSAY_DATA_DIR", async () => {
    const file = path.join(tempDir(), "plain-file");
    fs.writeFileSync(file, "x");
    await expectStartFailure(baseEnv({ ASSAY_DATA_DIR: file }), "ASSAY_DATA_DIR", /make it a writable directory/);
  });

  it("an invalid ASSAY_ADMIN_EMAIL is refused like the other variables", async () => {
    await expectStartFailure(baseEnv({ ASSAY_ADMIN_EMAIL: "admin" }), "ASSAY_ADMIN_EMAIL", /must be an e-mail address/);
  });
});

describe("assay-server usage", () => {
  it("without a command prints its usage (exit 1)", async () => {
    const { code, stdout, stderr } = await runMain([], baseEnv());
    expect(code).toBe(1);
    expect(stdout + stderr).toMatch(/Usage: assay-server \[options\] \[command\]/);
    expect(stdout + stderr).toMatch(/start\s+start the server/);
  });

  it("with a mistyped command suggests the right one", async () => {
    const { code, stderr } = await runMain(["strat"], baseEnv());
    expect(code).toBe(1);
    expect(stderr).toContain("unknown command 'strat'");
    expect(stderr).toContain("(Did you mean start?)");
  });

  it("--version prints the package version", async () => {
    const { code, stdout } = await runMain(["--version"], baseEnv());
    const { version } = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(version);
  });

  it("token list shows id, name, owner, created and last used, never the secret", { timeout: 180_000 }, async () => {
    const env = baseEnv({ ASSAY_ADMIN_TOKEN: "assay_admin_token_for_list_test" });
    const first = spawnMain(["start"], env); // the first start creates the administrator
    await listening(first);
    expect(await terminate(first)).toBe(0);
    const created = await runMain(
      ["user", "create", "--email", "ci@example.com", "--name", "CI", "--token", "CI pipeline"],
      env,
    );
    const secret = created.stdout.trim().split("\n").at(-1)!;
    const server = spawnMain(["start"], env);
    const url = await listening(server);
    const response = await fetch(`${url}/api/v1/projects`, { headers: { authorization: `Bearer ${secret}` } });
    expect(response.status).toBe(200);
    expect(await terminate(server)).toBe(0);

    const { code, stdout } = await runMain(["token", "list"], env);
    expect(code).toBe(0);
    const [head, ...rows] = stdout.trim().split("\n");
    expect(head).toMatch(/^ID\s+NAME\s+OWNER\s+CREATED\s+LAST USED\s+REVOKED$/);
    const ci = rows.find((row) => row.includes("CI pipeline"))!;
    expect(ci).toMatch(/^\d+\s+CI pipeline\s+ci@example\.com\s+\d{4}-\d\d-\d\dT\S+\s+\d{4}-\d\d-\d\dT\S+\s+-$/);
    expect(rows.find((row) => row.includes("ASSAY_ADMIN_TOKEN"))).toMatch(/admin@localhost .* never\s+-$/);
    expect(stdout).not.toContain(secret);
    expect(stdout).not.toContain("assay_admin_token_for_list_test");
  });
});

/** A port nothing listens on: one the system just handed out and this test closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
