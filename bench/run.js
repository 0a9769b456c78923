// `npm run bench`: every bench/*.bench.js in turn, each in its own process.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".bench.js") && (!only || f.includes(only)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n== ${file}`);
  const result = spawnSync(process.execPath, [path.join(dir, file)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${result.status})`);
  }
}
process.exit(failed ? 1 : 0);
