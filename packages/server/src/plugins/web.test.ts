import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServerProcess, type TestServer } from "../test-support/server-process.js";
import { CONTENT_SECURITY_POLICY, installWeb, WEB_DIST_DIR } from "./web.js";

const INDEX = path.join(WEB_DIST_DIR, "index.html");

/** The entry script of the built UI, e.g. `/assets/index-B1x2y3z4.js`, read from dist/index.html. */
function entryScript(): string {
  if (!fs.existsSync(INDEX)) {
    throw new Error(`The web UI is not built (${INDEX} is missing): run \`npm run build\` first.`);
  }
  const match = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(fs.readFileSync(INDEX, "utf8"));
  if (!match) throw new Error(`No /assets/*.js entry script in ${INDEX}`);
  return match[1]!;
}

function expectWebHeaders(response: Response) {
  expect(response.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("same-origin");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
}

describe("the web UI served by the server at /", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves index.html at / with the strict CSP, the security headers and no-cache", async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expectWebHeaders(response);
    const html = await response.text();
    expect(html).toContain('<div id="root"></div>');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script: the CSP would block it
  });

  it("serves a hashed asset with a year of immutable caching and a JavaScript content type", async () => {
    const script = entryScript();
    const response = await fetch(`${server.url}${script}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("etag")).toBeTruthy();
    expectWebHeaders(response);
    expect((await response.text()).length).toBeGreaterThan(1000);
  });

  it("sends the build's precompressed files to browsers that accept them", async () => {
    const script = entryScript();
    const plain = await fetch(`${server.url}${script}`, { headers: { "accept-encoding": "identity" } });
    const plainText = await plain.text();
    expect(plain.headers.get("content-encoding")).toBeNull();
    for (const encoding of ["br", "gzip"]) {
      // node's fetch decodes the body, so the decoded text must be the file itself
      const response = await fetch(`${server.url}${script}`, { headers: { "accept-encoding": encoding } });
      expect(response.headers.get("content-encoding"), encoding).toBe(encoding);
      expect(response.headers.get("content-type")).toMatch(/^(text|application)\/javascript/);
      expect(response.headers.get("vary")).toMatch(/accept-encoding/i);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await response.text()).toBe(plainText);
    }
  });

  it("revalidates an unchanged file with its ETag (304)", async () => {
    const first = await fetch(`${server.url}/`);
    const etag = first.headers.get("etag")!;
    await first.arrayBuffer();
    // As a browser revalidates (fetch() alone would add `cache-control: no-cache`, which forbids a 304).
    const again = await fetch(`${server.url}/`, { headers: { "if-none-match": etag, "cache-control": "max-age=0" } });
    expect(again.status).toBe(304);
  });

  it("answers a deep link of the client-side router with index.html (no-cache)", async () => {
    for (const deepLink of [
      "/automation/runs/5",
      "/projects/1/runs?status=3&q=cart",
      "/sign-in?redirect=%2Fprojects",
    ]) {
      const response = await fetch(`${server.url}${deepLink}`);
      expect(response.status, deepLink).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expectWebHeaders(response);
      expect(await response.text()).toBe(fs.readFileSync(INDEX, "utf8"));
    }
  });

  it("answers a missing hashed asset with 404, not with index.html", async () => {
    const response = await fetch(`${server.url}/assets/index-00000000.js`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expectWebHeaders(response);
  });

  it("keeps unknown /api paths the API's JSON 404", async () => {
    for (const apiPath of ["/api/v1/unknown", "/api/v1/nope/deeper", "/api", "/api/v2/projects"]) {
      const response = await fetch(`${server.url}${apiPath}`);
      expect(response.status, apiPath).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as { message: string };
      expect(body.message).toBe(
        `There is no endpoint GET ${apiPath}. The endpoints are listed in /api/v1/openapi.json.`,
      );
    }
  });

  it("leaves the API alone: a known endpoint still needs its token", async () => {
    const response = await fetch(`${server.url}/api/v1/projects`);
    expect(response.status).toBe(401);
    const authed = await fetch(`${server.url}/api/v1/projects`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(authed.status).toBe(200);
  });

  it("answers HEAD like GET, without a body", async () => {
    const index = await fetch(`${server.url}/projects/1`, { method: "HEAD" });
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/^text\/html/);
    expect(index.headers.get("cache-control")).toBe("no-cache");
    expectWebHeaders(index);
    expect(await index.text()).toBe("");
    const asset = await fetch(`${server.url}${entryScript()}`, { method: "HEAD" });
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("never serves files outside dist, nor dotfiles", async () => {
    for (const probe of ["/assets/%2e%2e/%2e%2e/package.json", "/..%2f..%2fpackage.json", "/.gitignore"]) {
      const response = await fetch(`${server.url}${probe}`);
      const text = await response.text();
      expect(text, probe).not.toContain('"name"');
    }
  });

  it("only answers GET and HEAD: other methods on web paths are 404s", async () => {
    const response = await fetch(`${server.url}/projects`, { method: "POST" });
    expect(response.status).toBe(404);
  });
});

describe("without a built web UI", () => {
  it("says so in the log and serves nothing at /", async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: "warn", stream: { write: (line: string) => lines.push(line) } } });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "assay-no-web-"));
    try {
      await installWeb(app, { distDir: empty });
      const response = await app.inject({ method: "GET", url: "/" });
      expect(response.statusCode).toBe(404);
      const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages).toEqual([
        `The web UI is not built (${path.join(empty, "index.html")} is missing): serving the API only. Run \`npm run build\` to build it.`,
      ]);
    } finally {
      await app.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
