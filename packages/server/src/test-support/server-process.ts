import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { AUTH_CACHE_MS } from "../services/auth-cache.js";
import { type Backend, createPostgresDatabase, TEST_REDIS_URL } from "./backends.js";
import { runMain } from "./spawn.js";

const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

export interface TestServer {
  url: string;
  token: string;
  backend: Backend;
  dataDir: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  backend?: Backend;
  /** extra ASSAY_* variables */
  env?: Record<string, string>;
  /** share another server's storage (and Redis prefix): a second instance */
  sharing?: TestServer;
}

/**
 * Starts the real server process (the built `assay-server start`) on a free
 * port with fresh storage: a temporary SQLite directory, or a new PostgreSQL
 * database plus a Redis key prefix of its own.
 */
export async function startServerProcess(options: ServerOptions = {}): Promise<TestServer> {
  const backend = options.sharing?.backend ?? options.backend ?? "sqlite";
  const token = options.sharing?.token ?? `assay_test_${crypto.randomBytes(16).toString("hex")}`;
  const dataDir = options.sharing?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "assay-test-"));
  let dropDatabase: (() => Promise<void>) | null = null;
  let storageEnv: Record<string, string> = {};
  if (options.sharing) {
    storageEnv = {
      ASSAY_DATABASE_URL: options.sharing.env.ASSAY_DATABASE_URL ?? "",
      ASSAY_REDIS_URL: options.sharing.env.ASSAY_REDIS_URL ?? "",
      ASSAY_REDIS_KEY_PREFIX: options.sharing.env.ASSAY_REDIS_KEY_PREFIX ?? "",
    };
  } else if (backend === "postgres") {
    const database = await createPostgresDatabase();
    dropDatabase = database.drop;
    storageEnv = {
      ASSAY_DATABASE_URL: database.url,
      ASSAY_REDIS_URL: TEST_REDIS_URL,
      ASSAY_REDIS_KEY_PREFIX: `assay-test-${crypto.randomBytes(6).toString("hex")}`,
    };
  }
  const env: Record<string, string> = {
    ASSAY_HOST: "127.0.0.1",
    ASSAY_PORT: "0",
    ASSAY_DATA_DIR: dataDir,
    ASSAY_ADMIN_TOKEN: token,
    ASSAY_LOG_LEVEL: "warn",
    ...storageEnv,
    ...options.env,
  };
  const child = spawn(process.execPath, [MAIN, "start"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await listeningUrl(child);
  return {
    url,
    token,
    backend,
    dataDir,
    env,
    async stop() {
      await stopProcess(child);
      if (!options.sharing) {
        await dropDatabase?.();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Assay listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs an `assay-server` management command against a test server's storage; returns its stdout. */
export async function runServerCommand(server: TestServer, args: string[]): Promise<string> {
  const stdout = await runAssayServer(server.env, args);
  // The command writes from another process, like another instance would: the running server sees a
  // revoked token or changed access within AUTH_CACHE_MS (services/auth-cache.ts), not at once.
  if (CHANGES_WHAT_THE_SERVER_CACHES.has(args.slice(0, 2).join(" "))) await delay(AUTH_CACHE_MS + 50);
  return stdout;
}

/** Commands that change tokens, access or group membership the running server may hold in its auth cache. */
const CHANGES_WHAT_THE_SERVER_CACHES = new Set(["token revoke", "project access", "group add-member"]);

/** Runs the built `assay-server <args>` with exactly these ASSAY_* variables; resolves to its stdout. */
export async function runAssayServer(env: Record<string, string>, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runMain(args, env);
  if (code !== 0) throw new Error(`assay-server ${args.join(" ")} exited ${code}: ${stderr}`);
  return stdout;
}

/** Creates a user with a role and returns a token of theirs. */
export async function createUserWithToken(server: TestServer, email: string, role: string): Promise<string> {
  const out = await runServerCommand(server, [
    "user",
    "create",
    "--email",
    email,
    "--name",
    email,
    "--role",
    role,
    "--token",
    "test",
  ]);
  return out.trim().split("\n").at(-1)!.trim();
}

/** A tester whose access to `projectId` is overridden to none: the 403 cases. Returns their token. */
export async function createOutsiderToken(server: TestServer, email = "outsider@example.com", projectId = 1) {
  const token = await createUserWithToken(server, email, "tester");
  await runServerCommand(server, [
    "project",
    "access",
    "--project",
    String(projectId),
    "--email",
    email,
    "--role",
    "none",
  ]);
  return token;
}
