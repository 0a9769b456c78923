import crypto from "node:crypto";
import pg from "pg";

/**
 * The storage backends the suite runs against. SQLite always; PostgreSQL
 * (with Redis) when reachable at ASSAY_TEST_POSTGRES_URL / ASSAY_TEST_REDIS_URL.
 * Under CI=true an unreachable PostgreSQL fails the suite instead of skipping it.
 */
export type Backend = "sqlite" | "postgres";

export const TEST_POSTGRES_URL = process.env.ASSAY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.ASSAY_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const reachable = await postgresReachable();
if (!reachable) {
  const message = `PostgreSQL is not reachable at ${TEST_POSTGRES_URL}: its tests ${process.env.CI === "true" ? "cannot run" : "are skipped"}. Start it (see .ci/run) to run them.`;
  if (process.env.CI === "true") throw new Error(message);
  console.warn(message);
}

export const BACKENDS: Backend[] = reachable ? ["sqlite", "postgres"] : ["sqlite"];

/** A fresh, empty PostgreSQL database for one test file; drop it when done. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `assay_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
