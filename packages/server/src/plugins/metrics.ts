import crypto from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type pg from "pg";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Storage } from "../storage/db.js";

/**
 * Prometheus metrics, served at GET /metrics (text format) to holders of
 * ASSAY_METRICS_TOKEN. One registry per process: the counters are process-wide,
 * like the process they describe.
 */
export const metricsRegistry = new Registry();

const requestDuration = new Histogram({
  name: "assay_http_request_duration_seconds",
  help: "HTTP requests by method, route template and status: duration in seconds (its _count is the request count)",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

const rateLimited = new Counter({
  name: "assay_http_rate_limited_total",
  help: "Requests answered 429 (rate limit or sign-in limit), by route template",
  labelNames: ["route"] as const,
  registers: [metricsRegistry],
});

/** Test results stored by automation appends (services/automation.ts). */
export const resultsIngested = new Counter({
  name: "assay_results_ingested_total",
  help: "Automation test results stored",
  registers: [metricsRegistry],
});

let pool: pg.Pool | null = null;
new Gauge({
  name: "assay_db_pool_connections",
  help: "PostgreSQL pool connections by state (total, idle, waiting requests); absent on SQLite",
  labelNames: ["state"] as const,
  registers: [metricsRegistry],
  collect() {
    if (!pool) return;
    this.set({ state: "total" }, pool.totalCount);
    this.set({ state: "idle" }, pool.idleCount);
    this.set({ state: "waiting" }, pool.waitingCount);
  },
});

let storage: Storage | null = null;
new Counter({
  name: "assay_sqlite_checkpoints_total",
  help: "WAL checkpoints run by the background checkpointer, by outcome (done, failed); absent on PostgreSQL",
  labelNames: ["outcome"] as const,
  registers: [metricsRegistry],
  collect() {
    const checkpointer = storage?.checkpointer;
    if (!checkpointer) return;
    this.reset();
    this.inc({ outcome: "done" }, checkpointer.completed);
    this.inc({ outcome: "failed" }, checkpointer.failed);
  },
});
new Gauge({
  name: "assay_sqlite_wal_frames",
  help: "WAL frames (pages) at the last checkpoint, by state (total, checkpointed); absent on PostgreSQL",
  labelNames: ["state"] as const,
  registers: [metricsRegistry],
  collect() {
    const last = storage?.checkpointer?.last;
    if (!last) return;
    this.set({ state: "total" }, last.log);
    this.set({ state: "checkpointed" }, last.checkpointed);
  },
});

let defaultsCollected = false;

/** Requests that matched no route share one label, so unknown URLs cannot grow the series without bound. */
const UNMATCHED = "(unmatched)";

export function installMetrics(app: FastifyInstance): void {
  const { metricsToken } = app.ctx.config;
  app.get("/metrics", { schema: { hide: true } }, (request, reply) => serveMetrics(metricsToken, request, reply));
  if (!metricsToken) return; // off: no per-request work at all
  pool = app.ctx.storage.pool ?? null;
  storage = app.ctx.storage;
  if (!defaultsCollected) {
    // Process CPU, memory, GC and event loop lag (nodejs_eventloop_lag_seconds and percentiles).
    collectDefaultMetrics({ register: metricsRegistry });
    defaultsCollected = true;
  }
  app.addHook("onResponse", (request, reply, done) => {
    // The route template (`/api/v1/automation/runs/:id`), never the URL: a fixed set of series.
    const route = request.routeOptions.url ?? UNMATCHED;
    const status = reply.statusCode;
    requestDuration.observe({ method: request.method, route, status }, reply.elapsedTime / 1000);
    if (status === 429) rateLimited.inc({ route });
    done();
  });
}

async function serveMetrics(token: string | null, request: FastifyRequest, reply: FastifyReply) {
  if (!token) {
    return reply.code(404).send({
      message: "Metrics are off. Set ASSAY_METRICS_TOKEN on the server and send it as a Bearer token.",
      errors: {},
    });
  }
  if (!sameSecret(bearer(request), token)) {
    return reply.code(401).header("www-authenticate", 'Bearer realm="metrics"').send({
      message: "GET /metrics needs the Authorization header 'Bearer <ASSAY_METRICS_TOKEN>'.",
      errors: {},
    });
  }
  return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
}

function bearer(request: FastifyRequest): string {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
}

/** Constant-time comparison of digests, so response times leak nothing about the token. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => crypto.createHash("sha256").update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}
