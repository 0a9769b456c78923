import { sql, type Transaction } from "kysely";
import type { Storage } from "../db.js";
import type { Database } from "../schema.js";
import type { IncomingTest, TestTarget } from "./automation-tests.js";

type Trx = Transaction<Database>;
type SqliteConnection = NonNullable<Storage["sqlite"]>;

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
 * Upserts the failure groups of one append (one row per distinct signature,
 * in signature order so concurrent appends lock them in the same order). The
 * group row stays locked until commit, which serialises the membership
 * counting below per group on PostgreSQL; SQLite has one writer anyway.
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
  const ids = new Map<string, number>();
  for (const hash of [...occurrences.keys()].sort()) {
    const { incoming, count } = occurrences.get(hash)!;
    ids.set(hash, await upsertGroup(trx, target, incoming, count));
  }
  const members = new Map<number, Map<number, number>>();
  return {
    groupOf: (incoming) => (incoming.failure ? ids.get(incoming.failure.signature.hash)! : null),
    addMember(groupId, caseId) {
      const byCase = members.get(groupId) ?? new Map<number, number>();
      members.set(groupId, byCase);
      byCase.set(caseId, (byCase.get(caseId) ?? 0) + 1);
    },
    recordMembers: () => recordMembers(storage, trx, target, members),
  };
}

async function upsertGroup(trx: Trx, target: TestTarget, incoming: IncomingTest, count: number): Promise<number> {
  const { signature } = incoming.failure!;
  const row = await trx
    .insertInto("failure_groups")
    .values({
      project_id: target.projectId,
      signature: signature.hash,
      type: signature.type,
      message: signature.message,
      sample: signature.sample,
      frames: JSON.stringify(signature.frames),
      occurrence_count: count,
      test_count: 0,
      run_count: 0,
      first_seen_at: target.now,
      last_seen_at: target.now,
      first_run_id: target.runId,
      last_run_id: target.runId,
    })
    .onConflict((oc) =>
      oc.columns(["project_id", "signature"]).doUpdateSet({
        occurrence_count: sql`failure_groups.occurrence_count + excluded.occurrence_count`,
        // Two appends that meet a new signature at once each took their time before this lock:
        // whichever is earlier is the first sighting, and the later the last, in either commit order.
        first_seen_at: sql`CASE WHEN excluded.first_seen_at < failure_groups.first_seen_at THEN excluded.first_seen_at ELSE failure_groups.first_seen_at END`,
        first_run_id: sql`CASE WHEN excluded.first_seen_at < failure_groups.first_seen_at THEN excluded.first_run_id ELSE failure_groups.first_run_id END`,
        last_seen_at: sql`CASE WHEN excluded.last_seen_at >= failure_groups.last_seen_at THEN excluded.last_seen_at ELSE failure_groups.last_seen_at END`,
        last_run_id: sql`CASE WHEN excluded.last_seen_at >= failure_groups.last_seen_at THEN excluded.last_run_id ELSE failure_groups.last_run_id END`,
      }),
    )
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function recordMembers(
  storage: Storage,
  trx: Trx,
  target: TestTarget,
  members: Map<number, Map<number, number>>,
) {
  for (const [groupId, byCase] of members) {
    const newRun = await addRunMember(trx, target, groupId, sum(byCase.values()));
    const newTests = await addTestMembers(storage, trx, target, groupId, byCase);
    if (newRun || newTests > 0) {
      await trx
        .updateTable("failure_groups")
        .set({
          run_count: sql`run_count + ${newRun ? 1 : 0}`,
          test_count: sql`test_count + ${newTests}`,
        })
        .where("id", "=", groupId)
        .execute();
    }
  }
}

/** True when this is the group's first failure in the run. */
async function addRunMember(trx: Trx, target: TestTarget, groupId: number, count: number): Promise<boolean> {
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
}

const sqliteMembers = new WeakMap<SqliteConnection, ReturnType<typeof prepareMembers>>();

function prepareMembers(sqlite: SqliteConnection) {
  return {
    insert: sqlite.prepare(
      "INSERT OR IGNORE INTO failure_group_tests (group_id, case_id, occurrence_count, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
    ),
    update: sqlite.prepare(
      "UPDATE failure_group_tests SET occurrence_count = occurrence_count + ?, last_seen_at = ? WHERE group_id = ? AND case_id = ?",
    ),
  };
}

/**
 * SQLite: a prepared INSERT OR IGNORE per member, whose change count says
 * whether the test is new to the group, then an UPDATE for known ones. A
 * failing run has hundreds of members per group: no statement to compile.
 */
function addTestMembersSqlite(
  sqlite: SqliteConnection,
  target: TestTarget,
  groupId: number,
  byCase: Map<number, number>,
) {
  let statements = sqliteMembers.get(sqlite);
  if (!statements) {
    statements = prepareMembers(sqlite);
    sqliteMembers.set(sqlite, statements);
  }
  let added = 0;
  for (const [caseId, count] of byCase) {
    if (statements.insert.run(groupId, caseId, count, target.now, target.now).changes > 0) added++;
    else statements.update.run(count, target.now, groupId, caseId);
  }
  return added;
}

/** Upserts the (group, test) rows; returns how many tests are new to the group. */
async function addTestMembers(
  storage: Storage,
  trx: Trx,
  target: TestTarget,
  groupId: number,
  byCase: Map<number, number>,
) {
  if (storage.sqlite) return addTestMembersSqlite(storage.sqlite, target, groupId, byCase);
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
