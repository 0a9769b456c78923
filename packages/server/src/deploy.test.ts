import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { listening, spawnMain, terminate } from "./test-support/spawn.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const run = promisify(execFile);

/**
 * The Docker image's recipe, run on this machine: the Dockerfile builds with
 * deploy/build.sh and starts with deploy/start.sh; this stages the (already
 * built) tree into a temporary prefix with the same script, starts it, and
 * asks it whether it is ready.
 */
describe("deploy recipe (Dockerfile → deploy/build.sh, deploy/start.sh)", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "assay-deploy-"));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it("is what the Dockerfile runs", () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^RUN sh deploy\/build\.sh \/src \/opt\/assay$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/opt\/assay\/deploy\/start\.sh"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
  });

  it("stages a production install that starts, serves the web UI and is ready", { timeout: 300_000 }, async () => {
    const prefix = path.join(work, "opt-assay");
    const built = await run("sh", [path.join(ROOT, "deploy/build.sh"), ROOT, prefix], { maxBuffer: 1 << 24 });
    expect(built.stdout).toContain(`Assay staged in ${prefix}`);
    // Production dependencies only.
    expect(fs.existsSync(path.join(prefix, "node_modules/fastify"))).toBe(true);
    expect(fs.existsSync(path.join(prefix, "node_modules/typescript"))).toBe(false);
    expect(fs.existsSync(path.join(prefix, "node_modules/vitest"))).toBe(false);

    const dataDir = path.join(work, "data");
    const server = spawnMain(
      [],
      { ASSAY_HOST: "127.0.0.1", ASSAY_PORT: "0", ASSAY_DATA_DIR: dataDir, ASSAY_LOG_LEVEL: "warn" },
      [path.join(prefix, "deploy/start.sh")],
    );
    try {
      const url = await listening(server);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready" });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<html");
      expect(fs.existsSync(path.join(dataDir, "assay.sqlite"))).toBe(true);
    } finally {
      expect(await terminate(server)).toBe(0);
    }
    const version = await run(path.join(prefix, "packages/server/bin/assay-server.js"), ["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
