import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The built server (`npm run build`), started as `assay-server start` would be. */
const MAIN = fileURLToPath(new URL("../../../server/dist/main.js", import.meta.url));
const WEB_INDEX = fileURLToPath(new URL("../../dist/index.html", import.meta.url));

export const ADMIN_EMAIL = "admin@localhost";

export interface AssayServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The administrator's API token. */
  token: string;
  dataDir: string;
  env: Record<string, string>;
  /** Runs `assay-server <args>` on this server's storage; resolves to its stdout. */
  command(args: string[], stdin?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface AssayServerOptions {
  /** Fill the "Demo" project (`assay-server demo`) before the start. */
  demo?: boolean;
  /** Give the administrator this web password (`assay-server user password --password-stdin`). */
  adminPassword?: string;
  env?: Record<string, string>;
}

/**
 * Starts the real server on a free port with a fresh SQLite directory and a known administrator token,
 * optionally seeded with the demo and with the administrator's password set.
 */
export async function startAssay(options: AssayServerOptions = {}): Promise<AssayServer> {
  for (const [file, what] of [
    [MAIN, "the server"],
    [WEB_INDEX, "the web UI"],
  ] as const) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build ${what} first (npm run build).`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-web-e2e-"));
  const token = `assay_e2e_${crypto.randomBytes(16).toString("hex")}`;
  const env: Record<string, string> = {
    ASSAY_HOST: "127.0.0.1",
    ASSAY_PORT: "0",
    ASSAY_DATA_DIR: dataDir,
    ASSAY_ADMIN_EMAIL: ADMIN_EMAIL,
    ASSAY_ADMIN_TOKEN: token,
    ASSAY_LOG_LEVEL: "warn",
    ...options.env,
  };
  const command = (args: string[], stdin?: string) => runCommand(env, args, stdin);
  try {
    if (options.demo) await command(["demo"]);
    const child = spawn(process.execPath, [MAIN, "start"], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await listeningUrl(child);
    if (options.adminPassword) {
      await command(["user", "password", "--email", ADMIN_EMAIL, "--password-stdin"], `${options.adminPassword}\n`);
    }
    return {
      url,
      token,
      dataDir,
      env,
      command,
      async stop() {
        await stopProcess(child);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Assay listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code} before listening:\n${output}`)));
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

async function runCommand(env: Record<string, string>, args: string[], stdin?: string): Promise<string> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(stdin ?? "");
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`assay-server ${args.join(" ")} exited ${code}: ${stderr || stdout}`);
  return stdout;
}
