import { Migrator } from "kysely";
import type { Storage } from "./db.js";
import { migrations } from "./migrations/index.js";

/** Brings the schema up to date; every server start runs it (several instances may race: Kysely locks). */
export async function migrateToLatest(storage: Storage): Promise<void> {
  const migrator = new Migrator({
    db: storage.db,
    provider: { getMigrations: async () => migrations(storage.dialect) },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? "unknown error");
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed: ${reason}`);
  }
}
