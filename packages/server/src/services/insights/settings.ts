import { DEFAULT_INSIGHT_SETTINGS, type InsightSettings } from "@assay/api";
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** A project's flakiness settings, the defaults when it has none stored. */
export async function loadInsightSettings(db: Db, projectId: number): Promise<InsightSettings> {
  const row = await db
    .selectFrom("insight_settings")
    .select(["flaky_window", "flaky_threshold_percent", "flaky_min_results"])
    .where("project_id", "=", projectId)
    .executeTakeFirst();
  return row ?? DEFAULT_INSIGHT_SETTINGS;
}
