import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  builtForE2e,
  createdRunId,
  NO_CI_ENV,
  type RunningServer,
  runCounts,
  startServer,
  writeJunit,
} from "./test-support/e2e.js";

const run = promisify(execFile);
const cliPackage = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * The published form of the CLI: `npm pack`, then an install of that tarball alone into an empty
 * folder outside the workspace, where no other Assay package can be found. Its real dependencies
 * come from the npm registry. Skipped (loudly) when the CLI or the server is not built.
 */
describe.skipIf(!builtForE2e)("the packed assay CLI, installed on its own", () => {
  let server: RunningServer;
  let work: string;
  let installed: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "assay-pack-"));
    const packDir = join(work, "pack");
    const installDir = join(work, "install");
    await mkdir(packDir);
    await mkdir(installDir);
    await run(npm, ["pack", "--pack-destination", packDir], { cwd: cliPackage });
    const [tarball] = (await readdir(packDir)).filter((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${packDir}`);
    await run(npm, ["install", "--no-audit", "--no-fund", join(packDir, tarball)], {
      cwd: installDir,
    });
    installed = join(installDir, "node_modules/.bin/assay");
    server = await startServer({ ASSAY_RATE_LIMIT_REQUESTS: "100000" });
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("depends on no other Assay package", async () => {
    const manifest = JSON.parse(await readFile(join(work, "install/node_modules/@assay/cli/package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith("@assay/"))).toEqual([]);
    await expect(readdir(join(work, "install/node_modules/@assay"))).resolves.toEqual(["cli"]);
  });

  it("prints its version", async () => {
    const { version } = JSON.parse(await readFile(join(cliPackage, "package.json"), "utf8")) as { version: string };
    const { stdout } = await run(installed, ["--version"]);
    expect(stdout.trim()).toBe(version);
  });

  it("uploads results to a real server", async () => {
    await writeJunit(work, "results.xml", { passed: 40, failed: 2, skipped: 1, prefix: "packed" });
    const { stdout } = await run(
      installed,
      [
        "automation:run:submit",
        "--instance",
        server.url,
        "--project-id",
        "1",
        "--name",
        "installed from the tarball",
        "--source",
        "packed",
        "--results",
        "results.xml",
      ],
      { cwd: work, env: { ...process.env, ...NO_CI_ENV, CI: "true", ASSAY_TOKEN: ADMIN_TOKEN } },
    );
    const counts = await runCounts(server, createdRunId(stdout));
    expect(counts.is_completed).toBe(true);
    expect(counts.total_count).toBe(43);
    expect([counts.status1_count, counts.status2_count, counts.status5_count]).toEqual([40, 2, 1]);
  });
});
