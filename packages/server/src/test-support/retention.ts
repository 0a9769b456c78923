// biome-ignore-all lint/suspicious/noExplicitAny: e2e tests read response bodies field by field
import { TestOutcome } from "@assay/api";
import {
  AGGREGATE_COLUMNS,
  applyResult,
  type CaseAggregates,
  commitKey,
  DERIVED_COLUMNS,
  emptyAggregates,
  toColumns,
} from "../services/insights/aggregates.js";
import { loadInsightSettings } from "../services/insights/settings.js";
import type { Storage } from "../storage/db.js";
import type { ApiClient } from "./http.js";

/** Runs submitted over HTTP (retention and comparison tests), and a full recompute of every aggregate from the rows left. */

export interface TestSpec {
  key: string;
  status: string;
  elapsed?: number | null;
  /** a failure message: the test then carries a "Failure" field and joins a failure group */
  failure?: string;
  /** default `test <key>` and `suite` */
  name?: string;
  folder?: string;
}

export function wireTest(spec: TestSpec) {
  const fields = spec.failure
    ? [{ type: 4, name: "Failure", value: spec.failure, meta: { message: spec.failure, type: "AssertionError" } }]
    : [];
  return {
    key: spec.key,
    name: spec.name ?? `test ${spec.key}`,
    folder: spec.folder ?? "suite",
    status: spec.status,
    ...(spec.elapsed === null ? {} : { elapsed: spec.elapsed ?? 1000 }),
    fields,
  };
}

/** Creates a run (with a commit when given), one thread, appends the tests in batches; completes it unless told not to. */
export async function submitRun(
  api: ApiClient,
  projectId: number,
  options: { source: string; tests: TestSpec[]; commit?: string; complete?: boolean; batch?: number; name?: string },
): Promise<{ runId: number; threadId: number }> {
  const fields = options.commit ? [{ type: 1, name: "Commit", value: options.commit }] : [];
  const run = await api.post(`/projects/${projectId}/automation/runs`, {
    name: options.name ?? `run of ${options.source}`,
    source: options.source,
    fields,
  });
  if (run.status !== 201) throw new Error(`create run: ${run.status} ${JSON.stringify(run.body)}`);
  const runId = run.body.id as number;
  const thread = await api.post(`/automation/runs/${runId}/threads`, {});
  const threadId = thread.body.id as number;
  await appendTests(api, threadId, options.tests, options.batch);
  if (options.complete !== false) await completeRun(api, runId);
  return { runId, threadId };
}

export async function appendTests(api: ApiClient, threadId: number, tests: TestSpec[], batch = 1000) {
  for (let start = 0; start < tests.length; start += batch) {
    const res = await api.post(`/automation/runs/threads/${threadId}/append`, {
      tests: tests.slice(start, start + batch).map(wireTest),
    });
    if (res.status !== 204) throw new Error(`append: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

export async function completeRun(api: ApiClient, runId: number) {
  const res = await api.post(`/automation/runs/${runId}/complete`, {});
  if (res.status !== 204) throw new Error(`complete: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * Every difference between what is stored and a recompute from the rows left:
 * each automation case's aggregates against a replay of all its remaining
 * results through applyResult (ingest's own function), and each failure
 * group's counts against counts of the remaining failed rows. Empty when exact.
 */
export async function aggregateMismatches(storage: Storage, projectId: number): Promise<string[]> {
  const { db } = storage;
  const problems: string[] = [];
  const settings = await loadInsightSettings(db, projectId);
  const statuses = await db.selectFrom("statuses").select(["id", "is_passed", "is_failed"]).execute();
  const outcomeOf = new Map(
    statuses.map((s) => [
      s.id,
      s.is_passed ? TestOutcome.success : s.is_failed ? TestOutcome.failure : TestOutcome.neutral,
    ]),
  );
  const cases = await db.selectFrom("automation_cases").selectAll().where("project_id", "=", projectId).execute();
  const results = await db
    .selectFrom("automation_run_tests as t")
    .innerJoin("automation_runs as r", "r.id", "t.run_id")
    .select(["t.id", "t.case_id", "t.run_id", "t.status_id", "t.elapsed", "t.failure_group_id", "t.created_at"])
    .select("r.commit_sha")
    .where("r.project_id", "=", projectId)
    .orderBy("t.id")
    .execute();
  const states = new Map<number, CaseAggregates>();
  for (const row of results) {
    let state = states.get(row.case_id);
    if (!state) {
      state = emptyAggregates();
      states.set(row.case_id, state);
    }
    applyResult(state, {
      runId: row.run_id,
      outcome: outcomeOf.get(row.status_id) ?? TestOutcome.neutral,
      elapsed: row.elapsed === null ? null : Number(row.elapsed),
      commitKey: commitKey(row.commit_sha, row.run_id),
      failureGroupId: row.failure_group_id,
      at: row.created_at,
    });
  }
  for (const stored of cases) {
    const expected = toColumns(states.get(stored.id) ?? emptyAggregates(), settings) as Record<string, unknown>;
    for (const column of [...AGGREGATE_COLUMNS, ...DERIVED_COLUMNS]) {
      const actual = (stored as Record<string, unknown>)[column];
      const want = expected[column];
      const same = typeof want === "number" ? Number(actual) === want : actual === want;
      if (!same) {
        problems.push(
          `case ${stored.id} (${stored.key}) ${column}: stored ${JSON.stringify(actual)}, recomputed ${JSON.stringify(want)}`,
        );
      }
    }
  }

  const groups = await db.selectFrom("failure_groups").selectAll().where("project_id", "=", projectId).execute();
  const groupIds = new Set(groups.map((g) => g.id));
  const failed = results.filter((r) => r.failure_group_id !== null);
  for (const row of failed) {
    if (!groupIds.has(row.failure_group_id!))
      problems.push(`test ${row.id} names failure group ${row.failure_group_id}, which is gone`);
  }
  for (const stored of cases) {
    if (stored.last_failure_group_id !== null && !groupIds.has(stored.last_failure_group_id)) {
      problems.push(`case ${stored.id} points at failure group ${stored.last_failure_group_id}, which is gone`);
    }
  }
  for (const group of groups) {
    const rows = failed.filter((r) => r.failure_group_id === group.id);
    const byCase = countBy(rows.map((r) => r.case_id));
    const byRun = countBy(rows.map((r) => r.run_id));
    const expect = (what: string, actual: unknown, want: unknown) => {
      if (Number(actual) !== Number(want))
        problems.push(`group ${group.id} ${what}: stored ${actual}, recomputed ${want}`);
    };
    if (rows.length === 0) problems.push(`group ${group.id} has no occurrence left but still exists`);
    expect("occurrence_count", group.occurrence_count, rows.length);
    expect("test_count", group.test_count, byCase.size);
    expect("run_count", group.run_count, byRun.size);
    const members = await db.selectFrom("failure_group_tests").selectAll().where("group_id", "=", group.id).execute();
    expect("member rows", members.length, byCase.size);
    for (const m of members)
      expect(`tests[${m.case_id}].occurrence_count`, m.occurrence_count, byCase.get(m.case_id) ?? 0);
    const runs = await db
      .selectFrom("failure_group_runs")
      .selectAll()
      .where("group_id", "=", group.id)
      .orderBy("seen_at")
      .orderBy("run_id")
      .execute();
    expect("run rows", runs.length, byRun.size);
    for (const r of runs) expect(`runs[${r.run_id}].occurrence_count`, r.occurrence_count, byRun.get(r.run_id) ?? 0);
    if (runs[0]) {
      expect("first_run_id", group.first_run_id, runs[0].run_id);
      if (group.first_seen_at !== runs[0].seen_at) {
        problems.push(`group ${group.id} first_seen_at ${group.first_seen_at}, earliest run row ${runs[0].seen_at}`);
      }
    }
  }
  return problems;
}

function countBy(values: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Runs still there, by id. */
export async function existingRuns(api: ApiClient, ids: number[]): Promise<number[]> {
  const found: number[] = [];
  for (const id of ids) {
    const res = await api.get(`/automation/runs/${id}`);
    if (res.status !== 200 && res.status !== 404)
      throw new Error(`GET run ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.status === 200) found.push(id);
  }
  return found;
}

export type AnyBody = any;
