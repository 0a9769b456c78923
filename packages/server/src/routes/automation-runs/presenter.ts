import type {
  AutomationArtifact,
  AutomationField,
  AutomationLink,
  AutomationRun,
  AutomationRunThread,
} from "@assay/api";
import { STATUS_SLOTS } from "@assay/api";
import { countVector, sumCountVectors, threadElapsed } from "../../services/automation.js";
import type { StatusCatalog } from "../../services/statuses.js";
import type { ResourceRow, RunRow, ThreadRow } from "../../storage/repositories/automation.js";

type Counts = (statusId: number) => number;

/** `status<N>_count` by slot, built once (they name every run, thread and session presented). */
const STATUS_COUNT_FIELDS = Array.from({ length: STATUS_SLOTS }, (_, n) => `status${n}_count`);

/** Testmo's counter fields from per-status counts: untested = status 1, statusN = status N+1. */
export function presentCounts(statuses: StatusCatalog, count: Counts) {
  const vector = new Array<number>(STATUS_SLOTS + 1).fill(0);
  for (let id = 1; id <= STATUS_SLOTS; id++) vector[id] = count(id);
  return presentCountVector(statuses, vector);
}

/**
 * The same from a vector indexed by status id (see `countVector`), written into `into`. Writing into
 * the presented object keeps it a fast-properties object; spreading a 30-key record into a literal
 * cost about 10 µs per run or thread, most of a 100-run page's presenting time.
 */
export function presentCountVector(
  statuses: StatusCatalog,
  counts: readonly number[],
  into: Record<string, unknown> = {},
): Record<string, number> {
  into.untested_count = counts[1] ?? 0;
  for (let n = 1; n < STATUS_SLOTS; n++) into[STATUS_COUNT_FIELDS[n]!] = counts[n + 1] ?? 0;
  const summary = statuses.summarize((id) => counts[id] ?? 0);
  into.success_count = summary.success;
  into.failure_count = summary.failure;
  into.completed_count = summary.completed;
  into.total_count = summary.total;
  return into as Record<string, number>;
}

interface Grouped {
  artifacts: AutomationArtifact[];
  fields: AutomationField[];
  links: AutomationLink[];
}

function presentResource(row: ResourceRow, into: Grouped): void {
  const item = JSON.parse(row.payload) as Record<string, unknown>;
  if (row.kind === "artifact") {
    into.artifacts.push({
      name: item.name as string,
      note: (item.note as string) ?? null,
      url: item.url as string,
      mime_type: (item.mime_type as string) ?? null,
      size: (item.size as number) ?? null,
    });
  } else if (row.kind === "field") {
    into.fields.push({
      type: item.type as number,
      name: item.name as string,
      value: (item.value as string) ?? null,
      meta: (item.meta as Record<string, string>) ?? null,
      is_highlight: item.is_highlight === true,
    });
  } else {
    into.links.push({ name: item.name as string, note: (item.note as string) ?? null, url: item.url as string });
  }
}

function groupResources(rows: readonly ResourceRow[]): Map<string, Grouped> {
  const groups = new Map<string, Grouped>();
  for (const row of rows) {
    const key = `${row.run_id}:${row.thread_id ?? ""}`;
    let group = groups.get(key);
    if (!group) {
      group = { artifacts: [], fields: [], links: [] };
      groups.set(key, group);
    }
    presentResource(row, group);
  }
  return groups;
}

const EMPTY: Grouped = { artifacts: [], fields: [], links: [] };

export function presentThread(
  statuses: StatusCatalog,
  thread: ThreadRow,
  resources: Grouped,
  counts: readonly number[] = countVector(thread),
): AutomationRunThread {
  const presented: Record<string, unknown> = {
    id: thread.id,
    index: thread.index,
    name: null,
    status: thread.status,
    elapsed: threadElapsed(thread),
    elapsed_observed: thread.elapsed_observed,
    elapsed_computed: thread.elapsed_computed,
    is_completed: thread.is_completed === 1,
    artifacts: resources.artifacts,
    fields: resources.fields,
  };
  presentCountVector(statuses, counts, presented);
  presented.created_at = thread.created_at;
  presented.created_by = thread.created_by ?? 0;
  presented.completed_at = thread.completed_at;
  presented.completed_by = thread.completed_by;
  return presented as unknown as AutomationRunThread;
}

/** Rows → Testmo's AutomationRun objects, with threads, resources and counts summed over threads. */
export function presentRuns(
  statuses: StatusCatalog,
  runs: readonly RunRow[],
  threads: readonly ThreadRow[],
  resources: readonly ResourceRow[],
): AutomationRun[] {
  const grouped = groupResources(resources);
  const threadsByRun = new Map<number, ThreadRow[]>();
  for (const thread of threads) {
    const own = threadsByRun.get(thread.run_id);
    if (own) own.push(thread);
    else threadsByRun.set(thread.run_id, [thread]);
  }
  return runs.map((run) => {
    const own = threadsByRun.get(run.id) ?? [];
    const threadCounts = own.map(countVector);
    const runResources = grouped.get(`${run.id}:`) ?? EMPTY;
    const completed = own.filter((t) => t.is_completed === 1).length;
    const presented: Record<string, unknown> = {
      id: run.id,
      project_id: run.project_id,
      source_id: run.source_id,
      name: run.name,
      status: run.status,
      config_id: run.config_id,
      milestone_id: run.milestone_id,
      elapsed: run.elapsed,
      is_completed: run.is_completed === 1,
      artifacts: runResources.artifacts,
      fields: runResources.fields,
      links: runResources.links,
      tags: JSON.parse(run.tags) as string[],
      threads: own.map((t, i) =>
        presentThread(statuses, t, grouped.get(`${run.id}:${t.id}`) ?? EMPTY, threadCounts[i]),
      ),
    };
    presentCountVector(statuses, sumCountVectors(threadCounts), presented);
    presented.thread_count = own.length;
    presented.thread_active_count = own.length - completed;
    presented.thread_completed_count = completed;
    presented.created_at = run.created_at;
    presented.created_by = run.created_by ?? 0;
    presented.updated_at = run.updated_at;
    presented.updated_by = run.updated_by;
    presented.completed_at = run.completed_at;
    presented.completed_by = run.completed_by;
    return presented as unknown as AutomationRun;
  });
}
