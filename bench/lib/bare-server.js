// The baseline of the read benchmark: a bare Fastify server (default options, no logging) whose
// GET routes return fixed JSON objects, the same ones the Assay server answered.
//   node bench/lib/bare-server.js <routes.json>   (routes.json: { "/path?query": body, … })
// Prints "listening <url>" once ready.
import fs from "node:fs";
import Fastify from "fastify";

const routes = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const app = Fastify({ logger: false });
const byPath = new Map();
for (const [pathAndQuery, body] of Object.entries(routes)) byPath.set(pathAndQuery.split("?")[0], body);
for (const [path, body] of byPath) app.get(path, async () => body);
const url = await app.listen({ host: "127.0.0.1", port: 0 });
console.log(`listening ${url}`);
