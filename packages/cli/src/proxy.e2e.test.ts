import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  builtForE2e,
  createdRunId,
  type RunningServer,
  runCli,
  runCounts,
  selfSignedCertificate,
  startServer,
  type TlsFiles,
  writeJunit,
} from "./test-support/e2e.js";
import { ForwardProxy } from "./test-support/forward-proxy.js";

const CREDENTIALS = "ci-user:s3cret";
const BASIC = `Basic ${Buffer.from(CREDENTIALS).toString("base64")}`;

/**
 * `--proxy` with the real `assay` process, a real forward proxy and the real server, over
 * http (forwarded requests) and https (CONNECT tunnel), as Testmo's CLI does it.
 */
describe.skipIf(!builtForE2e)("assay CLI through an HTTP proxy", () => {
  let work: string;
  let tls: TlsFiles;
  let httpServer: RunningServer;
  let httpsServer: RunningServer;
  let proxy: ForwardProxy;
  let proxyAddress: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "assay-e2e-proxy-"));
    tls = selfSignedCertificate(work);
    await writeJunit(work, "results.xml", { passed: 40, failed: 3, skipped: 2, prefix: "proxied" });
    [httpServer, httpsServer] = await Promise.all([startServer(), startServer({}, tls)]);
    proxy = new ForwardProxy(CREDENTIALS);
    proxyAddress = await proxy.start();
  });
  afterAll(async () => {
    await proxy?.stop();
    await Promise.all([httpServer?.stop(), httpsServer?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  const submit = (server: RunningServer, proxyUrl: string, name: string) =>
    runCli(
      [
        "automation:run:submit",
        "--instance",
        server.url,
        "--project-id",
        "1",
        "--name",
        name,
        "--source",
        "proxied",
        "--results",
        "results.xml",
        "--proxy",
        proxyUrl,
      ],
      { cwd: work, env: { NODE_EXTRA_CA_CERTS: tls.certPath, ASSAY_MAX_RETRIES: "0" } },
    );

  it("forwards every request to an http server through the proxy, with the proxy credentials", async () => {
    const before = proxy.relayed.length;
    const result = await submit(httpServer, `http://${CREDENTIALS}@${proxyAddress}`, "via proxy (http)");
    expect(result.code, result.stderr).toBe(0);
    const counts = await runCounts(httpServer, createdRunId(result.stdout));
    expect(counts).toMatchObject({ total_count: 45, status1_count: 40, status2_count: 3, status5_count: 2 });

    const relayed = proxy.relayed.slice(before);
    // at least: create the run, append, complete it
    expect(relayed.length).toBeGreaterThanOrEqual(3);
    for (const r of relayed) {
      // the access checks (token, project, role), POSTs for the upload, one GET of the run comparison for the closing summary
      const read =
        /\/api\/v1\/(user|projects\/1|x\/projects\/1\/permissions|x\/automation\/runs\/\d+\/comparison\?.*)$/.test(
          r.target,
        );
      expect(r.method === "POST" || read, `${r.method} ${r.target}`).toBe(true);
      expect(r.target.startsWith(`${httpServer.url}/api/v1/`), r.target).toBe(true);
      expect(r.proxyAuthorization).toBe(BASIC);
    }
    expect(relayed.filter((r) => r.method === "GET").map((r) => r.target.split("?")[0])).toEqual([
      `${httpServer.url}/api/v1/user`,
      `${httpServer.url}/api/v1/projects/1`,
      `${httpServer.url}/api/v1/x/projects/1/permissions`,
      `${httpServer.url}/api/v1/x/automation/runs/${createdRunId(result.stdout)}/comparison`,
    ]);
  });

  it("tunnels to an https server with CONNECT", async () => {
    const before = proxy.relayed.length;
    const result = await submit(httpsServer, `http://${CREDENTIALS}@${proxyAddress}`, "via proxy (https)");
    expect(result.code, result.stderr).toBe(0);
    const counts = await runCounts(httpsServer, createdRunId(result.stdout));
    expect(counts).toMatchObject({ is_completed: true, total_count: 45, status2_count: 3 });

    const relayed = proxy.relayed.slice(before);
    expect(relayed.length).toBeGreaterThan(0);
    const host = new URL(httpsServer.url).host;
    for (const r of relayed) expect(r).toEqual({ method: "CONNECT", target: host, proxyAuthorization: BASIC });
  });

  it("fails at once when the proxy refuses the credentials, saying what to do, without printing the password", async () => {
    for (const server of [httpsServer, httpServer]) {
      const before = proxy.relayed.length;
      const result = await runCli(
        [
          "automation:run:create",
          "--instance",
          server.url,
          "--project-id",
          "1",
          "--name",
          "refused",
          "--source",
          "proxied",
          "--proxy",
          `http://ci-user:wrong@${proxyAddress}`,
        ],
        // Retries would be allowed: a 407 must not be retried.
        { cwd: work, env: { NODE_EXTRA_CA_CERTS: tls.certPath, ASSAY_MAX_RETRIES: "5" } },
      );
      expect(result.code, server.url).toBe(1);
      expect(result.stderr).toContain("407");
      expect(result.stderr).toContain("--proxy http://user:password@proxy:3128");
      expect(result.stderr).not.toContain("wrong");
      expect(proxy.relayed.length - before, result.stderr).toBe(1);
    }
    expect(proxy.relayed.at(-1)?.method).toBe("POST");
  });

  it("refuses a proxy that is not an http(s) URL before the child command runs", async () => {
    const result = await runCli(
      [
        "automation:run:submit",
        "--instance",
        httpServer.url,
        "--project-id",
        "1",
        "--name",
        "x",
        "--source",
        "proxied",
        "--results",
        "results.xml",
        "--proxy",
        "socks5://127.0.0.1:1080",
        "--",
        process.execPath,
        "-e",
        "console.log('child ran')",
      ],
      { cwd: work },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The proxy address must be a valid HTTP/HTTPS address");
    expect(result.stdout).not.toContain("child ran");
  });
});
