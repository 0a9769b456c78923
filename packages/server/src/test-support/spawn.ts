import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built `assay-server` entry point, as `npm start` and the Docker image run it. */
export const MAIN = fileURLToPath(new URL("../../dist/main.js", import.meta.url));

export interface Spawned {
  child: ChildProcess;
  /** everything written to stdout and stderr so far */
  output(): string;
  /** resolves with the exit code (or the signal's name) once the process has exited */
  exited: Promise<number | string>;
}

/** Starts `node <MAIN> <args>` with only PATH and these variables. */
export function spawnMain(args: string[], env: Record<string, string>, command = [process.execPath, MAIN]): Spawned {
  const child = spawn(command[0]!, [...command.slice(1), ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return { child, output: () => output, exited };
}

/** Runs to the end: exit code, stdout and stderr apart. */
export async function runMain(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const code = await new Promise<number | string>((resolve) =>
    child.once("exit", (exitCode, signal) => resolve(exitCode ?? signal ?? "unknown")),
  );
  return { code, stdout, stderr };
}

/** Waits for "Assay listening on <url>"; rejects with the output if the process exits first. */
export async function listening(spawned: Spawned): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /Assay listening on (\S+)/.exec(spawned.output());
      if (match) {
        spawned.child.stdout!.off("data", check);
        resolve(match[1]!);
      }
    };
    spawned.child.stdout!.on("data", check);
    void spawned.exited.then((code) =>
      reject(new Error(`server exited with ${code} before listening:\n${spawned.output()}`)),
    );
  });
}

/** SIGTERM, then SIGKILL after `killAfterMs` if it is still running; resolves with the exit code. */
export async function terminate(spawned: Spawned, killAfterMs = 10_000): Promise<number | string> {
  if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) return spawned.exited;
  spawned.child.kill("SIGTERM");
  const timer = setTimeout(() => spawned.child.kill("SIGKILL"), killAfterMs);
  const code = await spawned.exited;
  clearTimeout(timer);
  return code;
}
