// A small closed-loop HTTP load generator (no dependency beyond Node): `connections` keep-alive
// sockets, each sending the next GET as soon as the previous answer is read. Run in a process of
// its own so it does not share an event loop with the server it measures.
//   node bench/lib/load.js <url> <connections> <seconds> [header:value ...]
// Prints one JSON line: { requests, warmupRequests, seconds, rate, non2xx, errors }.
import http from "node:http";

const [url, connectionsArg, secondsArg, ...headerArgs] = process.argv.slice(2);
const connections = Number(connectionsArg ?? 50);
const seconds = Number(secondsArg ?? 5);
const headers = Object.fromEntries(
  headerArgs.map((h) => {
    const i = h.indexOf(":");
    return [h.slice(0, i), h.slice(i + 1)];
  }),
);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });

function get() {
  return new Promise((resolve) => {
    const req = http.get(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, headers, agent },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", () => resolve(0));
  });
}

let requests = 0;
let non2xx = 0;
let errors = 0;
let stop = false;
async function loop() {
  while (!stop) {
    const status = await get();
    if (stop) break;
    requests++;
    if (status === 0) errors++;
    else if (status < 200 || status >= 300) non2xx++;
  }
}

// One second of warm-up (JIT, connection set-up, caches), not counted.
const warm = Array.from({ length: connections }, loop);
await new Promise((r) => setTimeout(r, 1000));
stop = true;
await Promise.all(warm);
stop = false;
const warmupRequests = requests;
requests = 0;
non2xx = 0;
errors = 0;
const started = process.hrtime.bigint();
const loops = Array.from({ length: connections }, loop);
await new Promise((r) => setTimeout(r, seconds * 1000));
stop = true;
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
await Promise.all(loops);
agent.destroy();
console.log(JSON.stringify({ requests, warmupRequests, seconds: elapsed, rate: requests / elapsed, non2xx, errors }));
