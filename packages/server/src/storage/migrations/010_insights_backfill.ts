import { DEFAULT_INSIGHT_SETTINGS, TestOutcome } from "@assay/api";
import type { Kysely } from "kysely";
import {
  applyResult,
  type CaseAggregates,
  commitKey,
  emptyAggregates,
  toColumns,
} from "../../services/insights/aggregates.js";
import { failureOf } from "../../services/insights/failures.js";
import type { Database } from "../schema.js";

const CHUNK = 5000;

interface GroupDraft {
  projectId: number;
  hash: string;
  id?: number;
  first: NonNullable<ReturnType<typeof failureOf>>;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  firstRun: number;
  lastRun: number;
  tests: Map<number, { count: number; first: string; last: string }>;
  runs: Map<number, { count: number; seen: string }>;
}

/**
 * Fills the test-intelligence aggregates for results stored before they
 * existed: replays every result in id order through the same `applyResult`
 * that ingest uses, and groups past failures by signature. In memory per
 * test identity (a few hundred bytes each), so even large databases pass
 * in one go; new databases have nothing to do.
 */
export async function up(db: Kysely<Database>): Promise<void> {
  const outcomes = await outcomeOfStatus(db);
  const cases = new Map<number, CaseAggregates>();
  const groups = new Map<string, GroupDraft>();
  const failedTests: { id: number; groupKey: string; message: string | null }[] = [];
  const lastGroupOf = new Map<number, string | null>();
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom("automation_run_tests as t")
      .innerJoin("automation_runs as r", "r.id", "t.run_id")
      .leftJoin("automation_run_test_details as d", "d.test_id", "t.id")
      .select(["t.id", "t.case_id", "t.run_id", "t.status_id", "t.elapsed", "t.created_at", "r.project_id"])
      .select(["r.commit_sha", "d.fields"])
      .where("t.id", ">", after)
      .orderBy("t.id")
      .limit(CHUNK)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const outcome = outcomes.get(row.status_id) ?? TestOutcome.neutral;
      let groupKey: string | null = null;
      if (outcome === TestOutcome.failure && row.fields) {
        const failure = failureOf({
          key: "x",
          name: "x",
          status: "failure",
          folder: "x",
          fields: JSON.parse(row.fields),
        });
        if (failure) {
          groupKey = `${row.project_id}:${failure.signature.hash}`;
          draftGroup(groups, groupKey, row, failure);
          failedTests.push({ id: row.id, groupKey, message: failure.message });
        }
      }
      const state = cases.get(row.case_id) ?? emptyAggregates();
      cases.set(row.case_id, state);
      applyResult(state, {
        runId: row.run_id,
        outcome,
        elapsed: row.elapsed,
        commitKey: commitKey(row.commit_sha, row.run_id),
        failureGroupId: null,
        at: row.created_at,
      });
      // A failure without a group resets the test's last group, as at ingest.
      if (outcome === TestOutcome.failure) lastGroupOf.set(row.case_id, groupKey);
    }
    after = rows.at(-1)!.id;
  }
  await writeGroups(db, groups);
  for (const test of failedTests) {
    await db
      .updateTable("automation_run_tests")
      .set({ failure_group_id: groups.get(test.groupKey)!.id!, message: test.message })
      .where("id", "=", test.id)
      .execute();
  }
  for (const [caseId, state] of cases) {
    const groupKey = lastGroupOf.get(caseId);
    state.last_failure_group_id = groupKey ? groups.get(groupKey)!.id! : null;
    await db
      .updateTable("automation_cases")
      .set(toColumns(state, DEFAULT_INSIGHT_SETTINGS))
      .where("id", "=", caseId)
      .execute();
  }
  await db
    .updateTable("automation_run_threads")
    .set((eb) => ({
      tests_elapsed: eb.fn.coalesce(
        eb
          .selectFrom("automation_run_tests")
          .select((s) => s.fn.sum<number>("elapsed").as("total"))
          .whereRef("automation_run_tests.thread_id", "=", "automation_run_threads.id"),
        eb.lit(0),
      ),
    }))
    .execute();
}

async function outcomeOfStatus(db: Kysely<Database>): Promise<Map<number, number>> {
  const statuses = await db.selectFrom("statuses").select(["id", "is_passed", "is_failed"]).execute();
  return new Map(
    statuses.map((s) => [
      s.id,
      s.is_passed ? TestOutcome.success : s.is_failed ? TestOutcome.failure : TestOutcome.neutral,
    ]),
  );
}

function draftGroup(
  groups: Map<string, GroupDraft>,
  key: string,
  row: { case_id: number; run_id: number; created_at: string; project_id: number },
  failure: NonNullable<ReturnType<typeof failureOf>>,
) {
  let group = groups.get(key);
  if (!group) {
    group = {
      projectId: row.project_id,
      hash: failure.signature.hash,
      first: failure,
      occurrences: 0,
      firstSeen: row.created_at,
      lastSeen: row.created_at,
      firstRun: row.run_id,
      lastRun: row.run_id,
      tests: new Map(),
      runs: new Map(),
    };
    groups.set(key, group);
  }
  group.occurrences++;
  group.lastSeen = row.created_at;
  group.lastRun = row.run_id;
  const test = group.tests.get(row.case_id);
  if (test) {
    test.count++;
    test.last = row.created_at;
  } else group.tests.set(row.case_id, { count: 1, first: row.created_at, last: row.created_at });
  const run = group.runs.get(row.run_id);
  if (run) run.count++;
  else group.runs.set(row.run_id, { count: 1, seen: row.created_at });
}

async function writeGroups(db: Kysely<Database>, groups: Map<string, GroupDraft>) {
  for (const group of groups.values()) {
    const { signature } = group.first;
    const row = await db
      .insertInto("failure_groups")
      .values({
        project_id: group.projectId,
        signature: group.hash,
        type: signature.type,
        message: signature.message,
        sample: signature.sample,
        frames: JSON.stringify(signature.frames),
        occurrence_count: group.occurrences,
        test_count: group.tests.size,
        run_count: group.runs.size,
        first_seen_at: group.firstSeen,
        last_seen_at: group.lastSeen,
        first_run_id: group.firstRun,
        last_run_id: group.lastRun,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    group.id = row.id;
    for (const [caseId, t] of group.tests) {
      await db
        .insertInto("failure_group_tests")
        .values({
          group_id: row.id,
          case_id: caseId,
          occurrence_count: t.count,
          first_seen_at: t.first,
          last_seen_at: t.last,
        })
        .execute();
    }
    for (const [runId, r] of group.runs) {
      await db
        .insertInto("failure_group_runs")
        .values({ group_id: row.id, run_id: runId, occurrence_count: r.count, seen_at: r.seen })
        .execute();
    }
  }
}
