import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/**
 * The README's examples run as pasted, in order, on a fresh install (this
 * checkout, already installed and built) with an empty data directory.
 * A shell block is run when the line before its ```sh fence is
 * `<!-- readme-test -->` (it must exit 0), or `<!-- readme-test: server -->`
 * (it starts the server: it runs in the background until the end, and the
 * blocks after it run while it listens). The blocks get only PATH, HOME,
 * ASSAY_HOST=127.0.0.1, ASSAY_PORT (a free port), ASSAY_DATA_DIR (a new
 * directory) and PASSWORD (a valid password for the examples that read one).
 */
export interface ReadmeBlock {
  kind: "run" | "server";
  line: number;
  script: string;
}

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split("\n");
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /^<!-- readme-test(: server)? -->$/.exec(lines[i]!.trim());
    if (!marker) continue;
    if (lines[i + 1]?.trim() !== "```sh")
      throw new Error(`README line ${i + 1}: a readme-test marker needs a \`\`\`sh block right below`);
    const end = lines.indexOf("```", i + 2);
    blocks.push({ kind: marker[1] ? "server" : "run", line: i + 3, script: lines.slice(i + 2, end).join("\n") });
    i = end;
  }
  return blocks;
}

describe("README examples", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-readme-"));
  const servers: ChildProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await stopGroup(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("finds the marked blocks", () => {
    const blocks = readmeBlocks(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
    expect(blocks.filter((b) => b.kind === "server").length).toBeGreaterThanOrEqual(1);
    expect(blocks.filter((b) => b.kind === "run").length).toBeGreaterThanOrEqual(2);
  });

  it("run as pasted, in order, against a fresh data directory", { timeout: 600_000 }, async () => {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? os.homedir(),
      ASSAY_HOST: "127.0.0.1",
      ASSAY_PORT: String(port),
      ASSAY_DATA_DIR: dataDir,
      PASSWORD: "correct horse battery staple",
    };
    for (const block of readmeBlocks(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"))) {
      const child = spawn("bash", ["-e", "-o", "pipefail", "-c", block.script], {
        cwd: ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      let output = "";
      child.stdout!.on("data", (c: Buffer) => {
        output += c.toString();
      });
      child.stderr!.on("data", (c: Buffer) => {
        output += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      if (block.kind === "server") {
        servers.push(child);
        const listening = `Assay listening on http://127.0.0.1:${port}`;
        await waitFor(() => output.includes(listening) || child.exitCode !== null);
        expect(output, `README line ${block.line}:\n${block.script}`).toContain(listening);
      } else {
        expect(await exited, `README line ${block.line}:\n${block.script}\n${output}`).toBe(0);
      }
    }
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });
});

async function waitFor(condition: () => boolean): Promise<true> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 100));
  return true;
}

/** SIGTERM to the block's whole process group (bash, npm, the server), then wait for bash. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid!, "SIGTERM");
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
