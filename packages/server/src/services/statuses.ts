import { type StatusDefinition, TestOutcome } from "@assay/api";
import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";

/** Test statuses and their aliases, loaded once per process (they change only with a migration). */
export class StatusCatalog {
  private constructor(
    readonly all: readonly StatusDefinition[],
    private readonly byAlias: ReadonlyMap<string, number>,
  ) {}

  static async load(db: Kysely<Database>): Promise<StatusCatalog> {
    const rows = await db.selectFrom("statuses").selectAll().orderBy("id").execute();
    const all = rows.map((r) => ({
      id: r.id,
      name: r.name,
      system_name: r.system_name,
      color: r.color,
      is_final: r.is_final === 1,
      is_untested: r.is_untested === 1,
      is_passed: r.is_passed === 1,
      is_failed: r.is_failed === 1,
      aliases: JSON.parse(r.aliases) as string[],
    }));
    const byAlias = new Map<string, number>();
    for (const status of all) for (const alias of status.aliases) byAlias.set(alias.toLowerCase(), status.id);
    return new StatusCatalog(all, byAlias);
  }

  /** Status id for an alias such as `passed`, `failure`, `error`, `skipped` (case-insensitive). */
  resolve(alias: string): number | undefined {
    return this.byAlias.get(alias.toLowerCase());
  }

  /** TestOutcome of a result status: 2 success (passed), 3 failure (failed), 1 neutral (skipped, untested, …). */
  outcomeOf(statusId: number): number {
    const status = this.all.find((s) => s.id === statusId);
    if (status?.is_passed) return TestOutcome.success;
    if (status?.is_failed) return TestOutcome.failure;
    return TestOutcome.neutral;
  }

  get aliases(): string[] {
    return [...this.byAlias.keys()];
  }

  /** success/failure/completed/total from per-status counts (index = status id). */
  summarize(countOf: (statusId: number) => number) {
    let success = 0;
    let failure = 0;
    let completed = 0;
    let total = 0;
    for (const status of this.all) {
      const n = countOf(status.id);
      total += n;
      if (status.is_passed) success += n;
      if (status.is_failed) failure += n;
      if (status.is_final) completed += n;
    }
    return { success, failure, completed, total };
  }
}
