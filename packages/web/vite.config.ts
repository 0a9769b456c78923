import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/** The API behind `npm run dev -w @assay/web` (a running `assay-server start`). */
const API_TARGET = process.env.ASSAY_DEV_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), precompress()],
  build: { outDir: "dist", assetsDir: "assets", sourcemap: true },
  server: {
    // The Host header is kept, so the server takes the dev server's address as its own origin and
    // accepts the browser's cookie-authenticated writes (their Origin is that address).
    proxy: { "/api": { target: API_TARGET } },
  },
});

const brotliCompress = promisify(zlib.brotliCompress);
const gzipCompress = promisify(zlib.gzip);

/**
 * Writes `.br` and `.gz` next to every text file of the build; the server sends them to browsers that
 * accept them (@fastify/static `preCompressed`), so nothing is compressed per request.
 */
function precompress(): Plugin {
  let written: string[] = [];
  return {
    name: "assay-precompress",
    apply: "build",
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      written = Object.keys(bundle)
        .filter((file) => /\.(?:js|css|html|svg)$/.test(file))
        .map((file) => path.join(dir, file));
    },
    // after the bundler is done (compression is not bundling work)
    async closeBundle() {
      await Promise.all(
        written.map(async (file) => {
          const source = await fs.readFile(file);
          if (source.length < 1024) return;
          const [brotli, gzip] = await Promise.all([
            brotliCompress(source, {
              params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: source.length,
              },
            }),
            gzipCompress(source, { level: 9 }),
          ]);
          await Promise.all([fs.writeFile(`${file}.br`, brotli), fs.writeFile(`${file}.gz`, gzip)]);
        }),
      );
    },
  };
}
