import { MILESTONE_PROGRESS_ITEMS, type MilestoneProgress, type MilestoneProgressItem } from "@assay/api";
import { type Kysely, sql } from "kysely";
import { parseJson } from "../../lib/query.js";
import type { StatusCatalog } from "../../services/statuses.js";
import { milestoneCounts } from "../../storage/repositories/manual.js";
import type { Database } from "../../storage/schema.js";
import { presentCounts } from "../automation-runs/presenter.js";

/**
 * What a milestone's progress is made of: the manual runs and sessions linked
 * to it and the automation runs linked to it — an automation run is linked
 * when it is created with one of the milestone's automation tags (or names
 * the milestone), see services/automation.ts. Decision 41.
 */

type Db = Kysely<Database>;
const COUNT_COLUMNS = Array.from({ length: 25 }, (_, i) => `count_${i + 1}`);

interface Counted {
  id: number;
  name: string;
  created_at: string;
  tags: string;
  [column: string]: unknown;
}

function item(
  statuses: StatusCatalog,
  row: Counted,
  isDone: boolean,
  status: number | null,
  count: (statusId: number) => number,
): MilestoneProgressItem {
  return {
    id: row.id,
    name: row.name,
    is_done: isDone,
    created_at: row.created_at,
    status,
    tags: parseJson<string[]>(row.tags, []),
    ...presentCounts(statuses, count),
  } as MilestoneProgressItem;
}

const countIn = (row: Record<string, unknown>) => (statusId: number) => Number(row[`count_${statusId}`] ?? 0);

/** Total and done counts of one table's rows linked to the milestone. */
async function tally(db: Db, table: "runs" | "sessions" | "automation_runs", doneColumn: string, milestoneId: number) {
  const row = await db
    .selectFrom(table)
    .select([
      sql<number>`count(*)`.as("total"),
      sql<number>`coalesce(sum(case when ${sql.ref(doneColumn)} = 1 then 1 else 0 end), 0)`.as("done"),
    ])
    .where("milestone_id", "=", milestoneId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), done: Number(row.done) };
}

async function manualGroup(db: Db, statuses: StatusCatalog, table: "runs" | "sessions", milestoneId: number) {
  const rows = (await db
    .selectFrom(table)
    .selectAll()
    .where("milestone_id", "=", milestoneId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(MILESTONE_PROGRESS_ITEMS)
    .execute()) as unknown as (Counted & { is_closed: number })[];
  const items = rows.map((r) => item(statuses, r, r.is_closed === 1, null, countIn(r)));
  return { ...(await tally(db, table, "is_closed", milestoneId)), items };
}

async function automationGroup(db: Db, statuses: StatusCatalog, milestoneId: number) {
  const runs = await db
    .selectFrom("automation_runs")
    .select(["id", "name", "created_at", "tags", "status", "is_completed"])
    .where("milestone_id", "=", milestoneId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(MILESTONE_PROGRESS_ITEMS)
    .execute();
  const sums = runs.length
    ? await db
        .selectFrom("automation_run_threads")
        .select(["run_id", ...COUNT_COLUMNS.map((c) => sql<number>`coalesce(sum(${sql.ref(c)}), 0)`.as(c))])
        .where(
          "run_id",
          "in",
          runs.map((r) => r.id),
        )
        .groupBy("run_id")
        .execute()
    : [];
  const byRun = new Map(sums.map((s) => [Number(s.run_id), s as Record<string, unknown>]));
  const items = runs.map((r) =>
    item(statuses, r, r.is_completed === 1, Number(r.status), countIn(byRun.get(r.id) ?? {})),
  );
  return { ...(await tally(db, "automation_runs", "is_completed", milestoneId)), items };
}

export async function milestoneProgress(
  db: Db,
  statuses: StatusCatalog,
  milestoneId: number,
): Promise<MilestoneProgress> {
  const [counts, manualRuns, sessions, automationRuns] = await Promise.all([
    milestoneCounts(db, [milestoneId]),
    manualGroup(db, statuses, "runs", milestoneId),
    manualGroup(db, statuses, "sessions", milestoneId),
    automationGroup(db, statuses, milestoneId),
  ]);
  const perStatus = counts.get(milestoneId) ?? [];
  return {
    milestone_id: milestoneId,
    totals: presentCounts(statuses, (s) => perStatus[s] ?? 0),
    manual_runs: manualRuns,
    sessions,
    automation_runs: automationRuns,
  };
}
