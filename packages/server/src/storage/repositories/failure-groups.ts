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
  const ids = new Map<string, number>();
  const counts = new Map<number, number>();
  for (const hash of [...occurrences.keys()].sort()) {
    const { incoming, count } = occurrences.get(hash)!;
    const id = await findOrCreateGroup(trx, target, incoming);
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
    recordMembers: () => recordMembers(storage, trx, target, counts, members),
  };
}

/**
 * The group's id; a new group starts with no occurrences (`countOccurrences` adds them). A plain read first:
 * an INSERT that meets the existing row would wait for any append that is counting into it right now.
 */
async function findOrCreateGroup(trx: Trx, target: TestTarget, incoming: IncomingTest): Promise<number> {
  const { signature } = incoming.failure!;
  const existing = await findGroupId(trx, target.projectId, signature.hash);
  if (existing !== undefined) return existing;
  const created = await trx
    .insertInto("failure_groups")
    .values({
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
    })
    .onConflict((oc) => oc.columns(["project_id", "signature"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  // No row: a concurrent append created it (and committed) since the read above.
  return created?.id ?? (await findGroupId(trx, target.projectId, signature.hash))!;
}

async function findGroupId(trx: Trx, projectId: number, signature: string): Promise<number | undefined> {
  const row = await trx
    .selectFrom("failure_groups")
    .select("id")
    .where("project_id", "=", projectId)
    .where("signature", "=", signature)
    .executeTakeFirst();
  return row?.id;
}

/**
 * Adds one append's occurrences and locks the group row until commit. Two appends that meet a signature at
 * once each took their time at their start: whichever is earlier is the first sighting, and the later the
 * last, in either commit order.
 */
async function countOccurrences(trx: Trx, target: TestTarget, groupId: number, count: number): Promise<void> {
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
}

async function recordMembers(
  storage: Storage,
  trx: Trx,
  target: TestTarget,
  counts: Map<number, number>,
  members: Map<number, Map<number, number>>,
) {
  // Group ids were taken in signature order; lock in that same order (Map iteration keeps it).
  for (const [groupId, count] of counts) {
    await countOccurrences(trx, target, groupId, count);
    const byCase = members.get(groupId) ?? new Map<number, number>();
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
