import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** packages/web/dist, found from this file (src/plugins or dist/plugins of the server package). */
export const WEB_DIST_DIR = fileURLToPath(new URL("../../../web/dist/", import.meta.url));

/** Strict: no inline scripts or styles, nothing from other origins, never framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Sent with every response of the web UI (files, the SPA fallback and its 404s). */
export const WEB_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

/** Hashed file names never change content: cache them for a year. Everything else revalidates. */
const IMMUTABLE = "public, max-age=31536000, immutable";
const REVALIDATE = "no-cache";

/**
 * Serves the web UI (packages/web/dist) at `/`: files as they are, `/assets/*` (hashed names) cached for
 * good, and index.html for every other GET/HEAD path outside `/api` so the client-side router can answer
 * deep links. `/api/...` paths are never answered here: an unknown one stays the API's JSON 404.
 * Without a built UI the server runs API-only and says so in the log.
 */
export async function installWeb(app: FastifyInstance, options: { distDir?: string } = {}): Promise<void> {
  const root = path.resolve(options.distDir ?? WEB_DIST_DIR);
  if (!fs.existsSync(path.join(root, "index.html"))) {
    app.log.warn(
      `The web UI is not built (${path.join(root, "index.html")} is missing): serving the API only. ` +
        "Run `npm run build` to build it.",
    );
    return;
  }
  await app.register(async (web) => {
    // `serve: false`: no routes of its own, only `reply.sendFile` (ETag, Last-Modified, ranges, .br/.gz siblings).
    await web.register(fastifyStatic, {
      root,
      serve: false,
      cacheControl: false,
      etag: true,
      lastModified: true,
      index: false,
      dotfiles: "deny",
      preCompressed: true,
    });
    const handler = (request: FastifyRequest, reply: FastifyReply) => serve(root, request, reply);
    web.route({ method: ["GET", "HEAD"], url: "/", handler, schema: { hide: true } });
    web.route({ method: ["GET", "HEAD"], url: "/*", handler, schema: { hide: true } });
  });
}

async function serve(root: string, request: FastifyRequest, reply: FastifyReply) {
  const pathname = decodePathname(request.url);
  if (pathname === "/api" || pathname?.startsWith("/api/")) return reply.callNotFound();
  reply.headers(WEB_SECURITY_HEADERS);
  if (pathname === null) return notFound(reply);
  const file = pathname === "/" ? null : await regularFile(root, pathname);
  if (file) {
    reply.header("cache-control", pathname.startsWith("/assets/") ? IMMUTABLE : REVALIDATE);
    return reply.sendFile(file);
  }
  // A missing hashed asset is a stale page asking for an old build: a 404, never index.html as JavaScript.
  if (pathname.startsWith("/assets/")) return notFound(reply);
  reply.header("cache-control", REVALIDATE);
  return reply.sendFile("index.html");
}

/** The decoded path without query, or null for anything that cannot name a file (`..`, NUL, bad escapes). */
function decodePathname(url: string): string | null {
  const raw = url.split("?")[0]!.split("#")[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (!decoded.startsWith("/") || decoded.includes("\0") || decoded.includes("\\")) return null;
  if (decoded.split("/").some((segment) => segment === ".." || segment === ".")) return null;
  return decoded;
}

/** The path relative to root when it names a regular file there (not a directory, not a dotfile). */
async function regularFile(root: string, pathname: string): Promise<string | null> {
  const relative = pathname.replace(/^\/+/, "");
  if (relative === "" || relative.split("/").some((segment) => segment.startsWith(".") || segment === "")) {
    return null;
  }
  const absolute = path.join(root, relative);
  if (!absolute.startsWith(root + path.sep)) return null;
  try {
    return (await fs.promises.stat(absolute)).isFile() ? relative : null;
  } catch {
    return null;
  }
}

function notFound(reply: FastifyReply) {
  reply.code(404).header("cache-control", REVALIDATE).type("text/plain; charset=utf-8");
  return reply.send("Not found.");
}
