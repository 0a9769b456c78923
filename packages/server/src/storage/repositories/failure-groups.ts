import { sql, type Transaction } from "kysely";
import type { FailureSignature } from "../../services/insights/signature.js";
import type { Storage } from "../db.js";
import type { Database } from "../schema.js";
import { type SqliteConnection, statementsFor } from "../sqlite-statements.js";
import type { IncomingTest, TestTarget } from "./automation-tests.js";

type Trx = Transaction<Database>;

export interface FailureGroupRecorder {
  /** The group of a failed test; null for others. */
  groupOf(incoming: IncomingTest): number | null;
  /** Counts one failure of the group by this test identity. */
  addMember(groupId: number, caseId: number): void;
  /** Writes group ↔ test and group ↔ run membership and the groups' distinct counts. */
  recordMembers(): Promise<void>;
}

const NONE: FailureGroupRecorder = { groupOf: () => null, addMember: () => {}, recordMembers: async () => {} };
const ROWS_PER_STATEMENT = 1000;

/**
 * Finds or creates the failure groups of one append (one row per distinct signature, in signature order) at
 * its start, without locking an existing group: its counts are written by `recordMembers`, at the end of the
 * transaction, which is when the group row gets locked (in signature order again, after the append's cases)
 * until the commit that follows. That lock serialises the membership counting per group on PostgreSQL, but only for the last
 * moment of each append: parallel appends that share a failure (the usual case: one broken dependency fails
 * every shard) no longer wait for each other's whole transaction. A group seen for the first time is a new
 * row, which a concurrent append of the same signature waits for once. SQLite has one writer anyway.
 */
export async function recordFailureGroups(
  storage: Storage,
  trx: Trx,
  target: TestTarget,
  tests: readonly IncomingTest[],
): Promise<FailureGroupRecorder> {
  const occurrences = new Map<string, { incoming: IncomingTest; count: number }>();
  for (const incoming of tests) {
    if (!incoming.failure) continue;
    const hash = incoming.failure.signature.hash;
    const seen = occurrences.get(hash);
    if (seen) seen.count++;
    else occurrences.set(hash, { incoming, count: 1 });
  }
  if (occurrences.size === 0) return NONE;
  const store = storage.sqlite ? sqliteStore(storage.sqlite) : kyselyStore(trx);
  const ids = new Map<string, number>();
  const counts = new Map<number, number>();
  for (const hash of [...occurrences.keys()].sort()) {
    const { incoming, count } = occurrences.get(hash)!;
    const id = await findOrCreateGroup(store, target, incoming);
    ids.set(hash, id);
    counts.set(id, count);
  }
  const members = new Map<number, Map<number, number>>();
  return {
    groupOf: (incoming) => (incoming.failure ? ids.get(incoming.failure.signature.hash)! : null),
    addMember(groupId, caseId) {
      const byCase = members.get(groupId) ?? new Map<number, number>();
      members.set(groupId, byCase);
      byCase.set(caseId, (byCase.get(caseId) ?? 0) + 1);
    },
    recordMembers: () => recordMembers(store, target, counts, members),
  };
}

/**
 * The group's id; a new group starts with no occurrences (`countOccurrences` adds them). A plain read first:
 * an INSERT that meets the existing row would wait for any append that is counting into it right now.
 */
async function findOrCreateGroup(store: GroupStore, target: TestTarget, incoming: IncomingTest): Promise<number> {
  const { signature } = incoming.failure!;
  const existing = await store.findGroupId(target.projectId, signature.hash);
  if (existing !== undefined) return existing;
  const created = await store.createGroup(target, signature);
  // No row: a concurrent append created it (and committed) since the read above.
  return created ?? (await store.findGroupId(target.projectId, signature.hash))!;
}

async function recordMembers(
  store: GroupStore,
  target: TestTarget,
  counts: Map<number, number>,
  members: Map<number, Map<number, number>>,
) {
  // Group ids were taken in signature order; lock in that same order (Map iteration keeps it).
  for (const [groupId, count] of counts) {
    await store.countOccurrences(target, groupId, count);
    const byCase = members.get(groupId) ?? new Map<number, number>();
    const newRun = await store.addRunMember(target, groupId, sum(byCase.values()));
    const newTests = await store.addTestMembers(target, groupId, byCase);
    if (newRun || newTests > 0) await store.addDistinctCounts(groupId, newRun ? 1 : 0, newTests);
  }
}

/**
 * The writes of the recorder, once per dialect. A failing build has a group per distinct failure, often one per
 * failed test, each with five statements: SQLite's are prepared once per connection (building and compiling
 * them per group was a tenth of a 100,000-test upload); PostgreSQL's are built with Kysely and sent as they are.
 */
interface GroupStore {
  findGroupId(projectId: number, signature: string): Promise<number | undefined>;
  /** Undefined when a concurrent append created the group first. */
  createGroup(target: TestTarget, signature: FailureSignature): Promise<number | undefined>;
  /**
   * Adds one append's occurrences and locks the group row until commit. Two appends that meet a signature at
   * once each took their time at their start: whichever is earlier is the first sighting, and the later the
   * last, in either commit order.
   */
  countOccurrences(target: TestTarget, groupId: number, count: number): Promise<void>;
  /** True when this is the group's first failure in the run. */
  addRunMember(target: TestTarget, groupId: number, count: number): Promise<boolean>;
  /** Upserts the (group, test) rows; returns how many tests are new to the group. */
  addTestMembers(target: TestTarget, groupId: number, byCase: Map<number, number>): Promise<number>;
  addDistinctCounts(groupId: number, newRuns: number, newTests: number): Promise<void>;
}

const groupRow = (target: TestTarget, signature: FailureSignature) => ({
  project_id: target.projectId,
  signature: signature.hash,
  type: signature.type,
  message: signature.message,
  sample: signature.sample,
  frames: JSON.stringify(signature.frames),
  occurrence_count: 0,
  test_count: 0,
  run_count: 0,
  first_seen_at: target.now,
  last_seen_at: target.now,
  first_run_id: target.runId,
  last_run_id: target.runId,
});

// ------------------------------------------------------------------ SQLite

/** groupRow's keys. */
const GROUP_COLUMNS = [
  "project_id",
  "signature",
  "type",
  "message",
  "sample",
  "frames",
  "occurrence_count",
  "test_count",
  "run_count",
  "first_seen_at",
  "last_seen_at",
  "first_run_id",
  "last_run_id",
] as const satisfies readonly (keyof ReturnType<typeof groupRow>)[];

function prepareSqlite(sqlite: SqliteConnection) {
  return {
    findGroup: sqlite.prepare("SELECT id FROM failure_groups WHERE project_id = ? AND signature = ?").pluck(),
    createGroup: sqlite
      .prepare(
        `INSERT INTO failure_groups (${GROUP_COLUMNS.join(", ")}) VALUES (${GROUP_COLUMNS.map((c) => `@${c}`).join(", ")})
         ON CONFLICT (project_id, signature) DO NOTHING RETURNING id`,
      )
      .pluck(),
    countOccurrences: sqlite.prepare(
      `UPDATE failure_groups SET occurrence_count = occurrence_count + @count,
         first_seen_at = CASE WHEN @now < first_seen_at THEN @now ELSE first_seen_at END,
         first_run_id = CASE WHEN @now < first_seen_at THEN @runId ELSE first_run_id END,
         last_seen_at = CASE WHEN @now >= last_seen_at THEN @now ELSE last_seen_at END,
         last_run_id = CASE WHEN @now >= last_seen_at THEN @runId ELSE last_run_id END
       WHERE id = @groupId`,
    ),
    countRun: sqlite.prepare(
      "UPDATE failure_group_runs SET occurrence_count = occurrence_count + ? WHERE group_id = ? AND run_id = ?",
    ),
    insertRun: sqlite.prepare(
      "INSERT INTO failure_group_runs (group_id, run_id, occurrence_count, seen_at) VALUES (?, ?, ?, ?)",
    ),
    insertMember: sqlite.prepare(
      "INSERT OR IGNORE INTO failure_group_tests (group_id, case_id, occurrence_count, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
    ),
    countMember: sqlite.prepare(
      "UPDATE failure_group_tests SET occurrence_count = occurrence_count + ?, last_seen_at = ? WHERE group_id = ? AND case_id = ?",
    ),
    addDistinctCounts: sqlite.prepare(
      "UPDATE failure_groups SET run_count = run_count + ?, test_count = test_count + ? WHERE id = ?",
    ),
  };
}

function sqliteStore(sqlite: SqliteConnection): GroupStore {
  const s = statementsFor(sqlite, prepareSqlite);
  return {
    findGroupId: async (projectId, signature) => s.findGroup.get(projectId, signature) as number | undefined,
    createGroup: async (target, signature) => s.createGroup.get(groupRow(target, signature)) as number | undefined,
    async countOccurrences(target, groupId, count) {
      s.countOccurrences.run({ count, now: target.now, runId: target.runId, groupId });
    },
    async addRunMember(target, groupId, count) {
      if (s.countRun.run(count, groupId, target.runId).changes > 0) return false;
      s.insertRun.run(groupId, target.runId, count, target.now);
      return true;
    },
    // An INSERT OR IGNORE per member, whose change count says whether the test is new to the group, then an
    // UPDATE for known ones.
    async addTestMembers(target, groupId, byCase) {
      let added = 0;
      for (const [caseId, count] of byCase) {
        if (s.insertMember.run(groupId, caseId, count, target.now, target.now).changes > 0) added++;
        else s.countMember.run(count, target.now, groupId, caseId);
      }
      return added;
    },
    async addDistinctCounts(groupId, newRuns, newTests) {
      s.addDistinctCounts.run(newRuns, newTests, groupId);
    },
  };
}

// ------------------------------------------------------------------ PostgreSQL

function kyselyStore(trx: Trx): GroupStore {
  const findGroupId = async (projectId: number, signature: string) => {
    const row = await trx
      .selectFrom("failure_groups")
      .select("id")
      .where("project_id", "=", projectId)
      .where("signature", "=", signature)
      .executeTakeFirst();
    return row?.id;
  };
  return {
    findGroupId,
    async createGroup(target, signature) {
      const created = await trx
        .insertInto("failure_groups")
        .values(groupRow(target, signature))
        .onConflict((oc) => oc.columns(["project_id", "signature"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      return created?.id;
    },
    async countOccurrences(target, groupId, count) {
      const now = target.now;
      await trx
        .updateTable("failure_groups")
        .set({
          occurrence_count: sql`occurrence_count + ${count}`,
          first_seen_at: sql`CASE WHEN ${now} < first_seen_at THEN ${now} ELSE first_seen_at END`,
          first_run_id: sql`CASE WHEN ${now} < first_seen_at THEN ${target.runId} ELSE first_run_id END`,
          last_seen_at: sql`CASE WHEN ${now} >= last_seen_at THEN ${now} ELSE last_seen_at END`,
          last_run_id: sql`CASE WHEN ${now} >= last_seen_at THEN ${target.runId} ELSE last_run_id END`,
        })
        .where("id", "=", groupId)
        .execute();
    },
    async addRunMember(target, groupId, count) {
      const updated = await trx
        .updateTable("failure_group_runs")
        .set({ occurrence_count: sql`occurrence_count + ${count}` })
        .where("group_id", "=", groupId)
        .where("run_id", "=", target.runId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) return false;
      await trx
        .insertInto("failure_group_runs")
        .values({ group_id: groupId, run_id: target.runId, occurrence_count: count, seen_at: target.now })
        .execute();
      return true;
    },
    addTestMembers: (target, groupId, byCase) => addTestMembersPostgres(trx, target, groupId, byCase),
    async addDistinctCounts(groupId, newRuns, newTests) {
      await trx
        .updateTable("failure_groups")
        .set({ run_count: sql`run_count + ${newRuns}`, test_count: sql`test_count + ${newTests}` })
        .where("id", "=", groupId)
        .execute();
    },
  };
}

async function addTestMembersPostgres(trx: Trx, target: TestTarget, groupId: number, byCase: Map<number, number>) {
  const entries = [...byCase.entries()].sort((a, b) => a[0] - b[0]);
  let added = 0;
  for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT) {
    const slice = entries.slice(start, start + ROWS_PER_STATEMENT);
    const existing = await trx
      .selectFrom("failure_group_tests")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("group_id", "=", groupId)
      .where(
        "case_id",
        "in",
        slice.map(([caseId]) => caseId),
      )
      .executeTakeFirstOrThrow();
    added += slice.length - Number(existing.n);
    await trx
      .insertInto("failure_group_tests")
      .values(
        slice.map(([caseId, count]) => ({
          group_id: groupId,
          case_id: caseId,
          occurrence_count: count,
          first_seen_at: target.now,
          last_seen_at: target.now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["group_id", "case_id"]).doUpdateSet({
          occurrence_count: sql`failure_group_tests.occurrence_count + excluded.occurrence_count`,
          last_seen_at: (eb) => eb.ref("excluded.last_seen_at"),
        }),
      )
      .execute();
  }
  return added;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
