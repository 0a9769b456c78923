import type { FastifyInstance, FastifyReply } from "fastify";
import { sql } from "kysely";

/** How long a readiness check waits for the database or Redis before calling it unreachable. */
const CHECK_TIMEOUT_MS = 2000;

const draining = new WeakSet<FastifyInstance>();

/** From now on /readyz answers 503: a proxy stops sending new requests while open ones finish. */
export function markShuttingDown(app: FastifyInstance): void {
  draining.add(app);
}

/**
 * GET /healthz: the process is up. GET /readyz: it can serve (database and, when
 * configured, Redis answer), else 503 with the reason. Both at the root, outside
 * the API scope: no token, no rate limit, cheap enough for a probe every second.
 */
export function installHealth(app: FastifyInstance): void {
  const hide = { schema: { hide: true } };
  app.get("/healthz", hide, async () => ({ status: "ok" }));
  app.get("/readyz", hide, async (_request, reply) => {
    const problems = draining.has(app) ? { server: ["The server is shutting down."] } : await readinessProblems(app);
    if (Object.keys(problems).length === 0) return { status: "ready" };
    return notReady(reply, problems);
  });
}

async function readinessProblems(app: FastifyInstance): Promise<Record<string, string[]>> {
  const { storage, redis } = app.ctx;
  const [database, cache] = await Promise.all([
    failureOf(sql`select 1`.execute(storage.db)),
    redis ? failureOf(redis.ping()) : null,
  ]);
  const problems: Record<string, string[]> = {};
  if (database)
    problems.database = [
      `The ${storage.dialect === "postgres" ? "PostgreSQL" : "SQLite"} database does not answer: ${database}`,
    ];
  if (cache) problems.redis = [`Redis (ASSAY_REDIS_URL) does not answer: ${cache}`];
  return problems;
}

/** null when the check succeeds within the timeout, else why it did not. */
async function failureOf(check: Promise<unknown>): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  // The check's own failure is caught here, so a late rejection after the timeout is never unhandled.
  const outcome = check.then(
    () => null,
    (error: unknown) => (error instanceof Error ? error.message || error.constructor.name : String(error)),
  );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function notReady(reply: FastifyReply, errors: Record<string, string[]>) {
  const first = Object.values(errors)[0]![0]!;
  return reply
    .code(503)
    .header("retry-after", "5")
    .send({ message: `Not ready: ${first}`, errors });
}
