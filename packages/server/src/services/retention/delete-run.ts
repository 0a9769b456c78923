import type { Transaction } from "kysely";
import type { Storage } from "../../storage/db.js";
import { writeCaseAggregates } from "../../storage/repositories/case-aggregates.js";
import {
  type CaseRow,
  type DeletedTestRow,
  deleteGroup,
  deleteRunRow,
  deleteTests,
  firstTestsOfRun,
  type GroupRow,
  groupsOfRun,
  type HistoryStart,
  historyStarts,
  type ResultRow,
  readCases,
  readGroups,
  refreshGroupFirstSeen,
  refreshGroupLastSeen,
  resultsOfCaseBefore,
  resultsOfCases,
  subtractGroupRun,
  subtractGroupTests,
  updateGroupCounts,
} from "../../storage/repositories/retention.js";
import type { Database } from "../../storage/schema.js";
import { type CaseAggregates, commitKey, fromColumns, type ResultFact } from "../insights/aggregates.js";
import { loadInsightSettings } from "../insights/settings.js";
import type { StatusCatalog } from "../statuses.js";
import {
  canTrim,
  type DeletedResult,
  REPLAY_ALL_AT_MOST,
  replay,
  SuffixCollector,
  subtractTotals,
  trimOldest,
  withTotals,
} from "./case-aggregates.js";

type Trx = Transaction<Database>;

/**
 * Deleting one expired run while ingest goes on: its tests in chunks of at
 * most TESTS_PER_CHUNK rows, each chunk one short transaction that also
 * keeps every aggregate exact (the tests' aggregates and the failure groups'
 * counts), then the rest of the run with the last chunk. Between chunks the
 * event loop gets a turn, so on SQLite (one connection per process) the
 * requests that waited run before the next chunk.
 */
export const TESTS_PER_CHUNK = 2000;

export interface RunToDelete {
  id: number;
  projectId: number;
  commitSha: string | null;
}

export interface ChunkEnvironment {
  storage: Storage;
  statuses: StatusCatalog;
  /** first statement of every chunk: extends the job's lease, throws when it was lost */
  renewLease(trx: Trx): Promise<void>;
  /** checked between chunks: stop early (the run is finished by the next pass) */
  shouldStop(): boolean;
}

export class RetentionStopped extends Error {}

const DEADLOCK = "40P01";

/** Deletes the run chunk by chunk; returns how many tests went. */
export async function deleteRun(env: ChunkEnvironment, run: RunToDelete): Promise<number> {
  let tests = 0;
  for (;;) {
    const chunk = await withDeadlockRetry(() =>
      env.storage.db.transaction().execute((trx) => deleteChunk(env, trx, run)),
    );
    tests += chunk.tests;
    if (chunk.finished) return tests;
    await new Promise((resolve) => setImmediate(resolve));
    if (env.shouldStop()) throw new RetentionStopped(`stopped while deleting automation run ${run.id}`);
  }
}

/**
 * PostgreSQL aborts one side of a deadlock. Retention locks rows in ingest's
 * order, so appends and chunks do not deadlock; a concurrent recomputation of
 * flakiness (which locks cases in the database's order) still might: the
 * chunk is retried whole.
 */
async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

interface GroupTally {
  occurrences: number;
  byCase: Map<number, number>;
}

async function deleteChunk(env: ChunkEnvironment, trx: Trx, run: RunToDelete) {
  await env.renewLease(trx);
  const rows = await firstTestsOfRun(trx, run.id, TESTS_PER_CHUNK);
  const finished = rows.length < TESTS_PER_CHUNK;
  const { dialect } = env.storage;

  const groups = new Map<number, GroupTally>();
  const deletedByCase = new Map<number, DeletedResult[]>();
  for (const row of rows) {
    const list = deletedByCase.get(row.case_id);
    const deleted = { id: row.id, outcome: env.statuses.outcomeOf(row.status_id), elapsed: row.elapsed };
    if (list) list.push(deleted);
    else deletedByCase.set(row.case_id, [deleted]);
    if (row.failure_group_id !== null) tallyGroup(groups, row);
  }
  // The last chunk also settles the run's (group, run) rows that no deleted failure names.
  const leftoverGroups = finished ? (await groupsOfRun(trx, run.id)).filter((id) => !groups.has(id)) : [];

  // Lock order as in ingest: cases (by key), then failure groups (PostgreSQL; SQLite has one writer anyway).
  const caseRows = await readCases(trx, dialect, [...deletedByCase.keys()]);
  const groupRows = await readGroups(trx, dialect, [...groups.keys(), ...leftoverGroups]);
  if (rows.length > 0)
    await deleteTests(
      trx,
      rows.map((r) => r.id),
    );

  const rebuilt = await rebuildCases(env, trx, run, caseRows, deletedByCase);
  // Read in the chunk's transaction: a settings change committed before it applies here, one after it
  // recomputes these tests' flakiness itself.
  const settings = await loadInsightSettings(trx, run.projectId);
  await writeCaseAggregates(env.storage, trx, rebuilt, settings);
  await settleGroups(trx, run, groupRows, groups, finished);
  if (finished) await deleteRunRow(trx, run.id);
  return { tests: rows.length, finished };
}

function tallyGroup(groups: Map<number, GroupTally>, row: DeletedTestRow) {
  const groupId = row.failure_group_id!;
  let tally = groups.get(groupId);
  if (!tally) {
    tally = { occurrences: 0, byCase: new Map() };
    groups.set(groupId, tally);
  }
  tally.occurrences++;
  tally.byCase.set(row.case_id, (tally.byCase.get(row.case_id) ?? 0) + 1);
}

function factOf(statuses: StatusCatalog, row: ResultRow): ResultFact {
  return {
    runId: row.run_id,
    outcome: statuses.outcomeOf(row.status_id),
    elapsed: row.elapsed,
    commitKey: commitKey(row.commit_sha, row.run_id),
    failureGroupId: row.failure_group_id,
    at: row.created_at,
  };
}

/**
 * New aggregates of every case the chunk touched (case-aggregates.ts): trimmed
 * without reading when the deleted results were the oldest of its history,
 * else replayed — the whole history when at most 100 results are left, the
 * suffix that determines the recent fields otherwise.
 */
async function rebuildCases(
  env: ChunkEnvironment,
  trx: Trx,
  run: RunToDelete,
  caseRows: readonly CaseRow[],
  deletedByCase: ReadonlyMap<number, DeletedResult[]>,
): Promise<{ id: number; state: CaseAggregates }[]> {
  const decisiveIds = env.statuses.all.filter((s) => s.is_passed || s.is_failed).map((s) => s.id);
  const starts = new Map<number, HistoryStart>();
  for (let start = 0; start < caseRows.length; start += 500) {
    const part = await historyStarts(
      trx,
      caseRows.slice(start, start + 500).map((c) => c.id),
      decisiveIds,
    );
    for (const [id, value] of part) starts.set(id, value);
  }
  const deletedKey = commitKey(run.commitSha, run.id);
  const result: { id: number; state: CaseAggregates }[] = [];
  const few: { id: number; state: CaseAggregates }[] = [];
  for (const row of caseRows) {
    const state = subtractTotals(fromColumns(row), deletedByCase.get(row.id) ?? []);
    const start = starts.get(row.id);
    const firstKey =
      start?.first_decisive_run_id != null
        ? commitKey(start.first_decisive_commit_sha, start.first_decisive_run_id)
        : null;
    if (canTrim(state, { firstId: start?.first_id ?? null, firstDecisiveKey: firstKey }, deletedKey)) {
      result.push({ id: row.id, state: trimOldest(state) });
    } else if (state.result_count <= REPLAY_ALL_AT_MOST) {
      few.push({ id: row.id, state });
    } else {
      result.push({ id: row.id, state: withTotals(await replaySuffix(env, trx, row.id, state), state) });
    }
  }
  // At most 100 results left: that is the whole history; replay it.
  const histories = new Map<number, ResultFact[]>();
  for (let start = 0; start < few.length; start += 500) {
    const rows = await resultsOfCases(
      trx,
      few.slice(start, start + 500).map((c) => c.id),
    );
    for (const row of rows) {
      const fact = factOf(env.statuses, row);
      const list = histories.get(row.case_id);
      if (list) list.push(fact);
      else histories.set(row.case_id, [fact]);
    }
  }
  for (const { id, state } of few) result.push({ id, state: withTotals(replay(histories.get(id) ?? []), state) });
  return result;
}

async function replaySuffix(env: ChunkEnvironment, trx: Trx, caseId: number, totals: CaseAggregates) {
  const collector = new SuffixCollector({
    success: totals.success_count,
    failure: totals.failure_count,
    timed: totals.elapsed_count,
  });
  let before: number | null = null;
  let page = 128;
  for (;;) {
    const rows = await resultsOfCaseBefore(trx, caseId, before, page);
    let more = rows.length === page;
    for (const row of rows) {
      if (!collector.offer(factOf(env.statuses, row))) {
        more = false;
        break;
      }
    }
    if (!more) break;
    before = rows.at(-1)!.id;
    page = Math.min(page * 2, 4096);
  }
  return replay(collector.suffix());
}

/**
 * Failure groups: the deleted failures come off the group's, its tests' and
 * its runs' occurrence counts; a (group, test) or (group, run) row at 0 goes
 * and test_count / run_count drop with it; first_* / last_* follow the
 * remaining runs; a group with no occurrence left goes, with every test's
 * pointer at it.
 */
async function settleGroups(
  trx: Trx,
  run: RunToDelete,
  groupRows: readonly GroupRow[],
  tallies: ReadonlyMap<number, GroupTally>,
  finished: boolean,
) {
  for (const group of groupRows) {
    const tally = tallies.get(group.id);
    const occurrences = tally?.occurrences ?? 0;
    const removedTests = tally ? await subtractGroupTests(trx, group.id, tally.byCase) : 0;
    const removedRun = await subtractGroupRun(trx, group.id, run.id, occurrences, finished);
    if (group.occurrence_count - occurrences <= 0) {
      await deleteGroup(trx, run.projectId, group.id);
      continue;
    }
    await updateGroupCounts(trx, group.id, { occurrences, tests: removedTests, runs: removedRun ? 1 : 0 });
    if (removedRun && group.first_run_id === run.id) await refreshGroupFirstSeen(trx, group.id);
    if (removedRun && group.last_run_id === run.id) await refreshGroupLastSeen(trx, group.id);
  }
}
