import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Migrator } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS, createPostgresDatabase } from "../../test-support/backends.js";
import { openPostgres, openSqlite, type Storage } from "../db.js";
import { migrateToLatest } from "../migrate.js";
import { migrations } from "./index.js";

/**
 * A database whose results were stored before test intelligence existed:
 * migrate it to 005 only, store results the way the old code did (no
 * aggregates, no groups), then migrate to the latest and check the backfill.
 */
describe.each(BACKENDS)("insights backfill migration on %s", (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function openOld(): Promise<Storage> {
    let storage: Storage;
    if (backend === "sqlite") {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assay-backfill-"));
      storage = openSqlite(path.join(dir, "assay.sqlite"));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    } else {
      const database = await createPostgresDatabase();
      storage = openPostgres(database.url);
      cleanups.push(database.drop);
    }
    cleanups.unshift(() => storage.close());
    const all = migrations(storage.dialect);
    const upTo005 = Object.fromEntries(Object.entries(all).filter(([name]) => name <= "005"));
    const { error } = await new Migrator({
      db: storage.db,
      provider: { getMigrations: async () => upTo005 },
    }).migrateToLatest();
    if (error) throw error;
    return storage;
  }

  it("replays old results into the aggregates and groups old failures by signature", async () => {
    const storage = await openOld();
    const db = storage.db as never as import("kysely").Kysely<Record<string, Record<string, unknown>>>;
    const at = (day: number) => new Date(Date.UTC(2026, 5, day)).toISOString();
    await db
      .insertInto("projects")
      .values({ name: "Old", is_completed: 0, created_at: at(1) })
      .execute();
    await db
      .insertInto("automation_sources")
      .values({ project_id: 1, name: "ci", is_retired: 0, created_at: at(1) })
      .execute();
    await db
      .insertInto("automation_cases")
      .values([
        { project_id: 1, source_id: 1, key: "a", name: "flips", folder: "f", created_at: at(1) },
        { project_id: 1, source_id: 1, key: "b", name: "steady", folder: "f", created_at: at(1) },
      ])
      .execute();
    for (let run = 1; run <= 6; run++) {
      await db
        .insertInto("automation_runs")
        .values({
          project_id: 1,
          source_id: 1,
          name: `r${run}`,
          status: 2,
          is_completed: 1,
          tags: "[]",
          thread_count: 1,
          created_at: at(run),
        })
        .execute();
      await db
        .insertInto("automation_run_threads")
        .values({ run_id: run, index: 1, status: 2, created_at: at(run) })
        .execute();
      const failed = run % 2 === 0;
      for (const [caseId, statusId, elapsed] of [
        [1, failed ? 3 : 2, 1000 * run],
        [2, 2, 500],
      ] as const) {
        const test = await db
          .insertInto("automation_run_tests")
          .values({
            run_id: run,
            thread_id: run,
            case_id: caseId,
            name: caseId === 1 ? "flips" : "steady",
            folder: "f",
            status_id: statusId,
            status_alias: statusId === 3 ? "failure" : "passed",
            elapsed,
            created_at: at(run),
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (statusId === 3) {
          const field = {
            type: 4,
            name: "Failure",
            value: `expected ${run} rows but got ${run + 1}`,
            is_highlight: true,
          };
          await db
            .insertInto("automation_run_test_details")
            .values({ test_id: test.id, fields: JSON.stringify([field]) })
            .execute();
        }
      }
    }

    await migrateToLatest(storage);

    const cases = await storage.db.selectFrom("automation_cases").selectAll().orderBy("id").execute();
    expect(cases[0]).toMatchObject({
      status: 3,
      result_count: 6,
      success_count: 3,
      failure_count: 3,
      recent_outcomes: "PFPFPF",
      flaky_percent: 100,
      is_flaky: 1,
      elapsed_average: 3500,
      last_run_id: 6,
      last_failed_at: at(6),
    });
    expect(cases[1]).toMatchObject({
      status: 2,
      result_count: 6,
      recent_outcomes: "PPPPPP",
      flaky_percent: 0,
      is_flaky: 0,
    });
    const groups = await storage.db.selectFrom("failure_groups").selectAll().execute();
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      message: "expected <num> rows but got <num>",
      occurrence_count: 3,
      test_count: 1,
      run_count: 3,
      first_run_id: 2,
      last_run_id: 6,
      first_seen_at: at(2),
    });
    expect(cases[0]!.last_failure_group_id).toBe(groups[0]!.id);
    const failed = await storage.db
      .selectFrom("automation_run_tests")
      .select(["failure_group_id", "message"])
      .where("status_id", "=", 3)
      .execute();
    expect(failed).toEqual(
      [2, 4, 6].map((run) => ({ failure_group_id: groups[0]!.id, message: `expected ${run} rows but got ${run + 1}` })),
    );
    const threads = await storage.db
      .selectFrom("automation_run_threads")
      .select("tests_elapsed")
      .orderBy("id")
      .execute();
    expect(threads.map((t) => Number(t.tests_elapsed))).toEqual([1500, 2500, 3500, 4500, 5500, 6500]);
  });
});
