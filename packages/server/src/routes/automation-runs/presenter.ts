import type {
  AutomationArtifact,
  AutomationField,
  AutomationLink,
  AutomationRun,
  AutomationRunThread,
} from "@assay/api";
import { STATUS_SLOTS } from "@assay/api";
import { countOf, threadElapsed } from "../../services/automation.js";
import type { StatusCatalog } from "../../services/statuses.js";
import type { ResourceRow, RunRow, ThreadRow } from "../../storage/repositories/automation.js";

type Counts = (statusId: number) => number;

/** Testmo's counter fields from per-status counts: untested = status 1, statusN = status N+1. */
export function presentCounts(statuses: StatusCatalog, count: Counts) {
  const fields: Record<string, number> = { untested_count: count(1) };
  for (let n = 1; n < STATUS_SLOTS; n++) fields[`status${n}_count`] = count(n + 1);
  const summary = statuses.summarize(count);
  fields.success_count = summary.success;
  fields.failure_count = summary.failure;
  fields.completed_count = summary.completed;
  fields.total_count = summary.total;
  return fields;
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

export function presentThread(statuses: StatusCatalog, thread: ThreadRow, resources: Grouped): AutomationRunThread {
  return {
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
    ...presentCounts(statuses, (id) => countOf(thread, id)),
    created_at: thread.created_at,
    created_by: thread.created_by ?? 0,
    completed_at: thread.completed_at,
    completed_by: thread.completed_by,
  } as AutomationRunThread;
}

/** Rows → Testmo's AutomationRun objects, with threads, resources and counts summed over threads. */
export function presentRuns(
  statuses: StatusCatalog,
  runs: readonly RunRow[],
  threads: readonly ThreadRow[],
  resources: readonly ResourceRow[],
): AutomationRun[] {
  const grouped = groupResources(resources);
  return runs.map((run) => {
    const own = threads.filter((t) => t.run_id === run.id);
    const runResources = grouped.get(`${run.id}:`) ?? EMPTY;
    const completed = own.filter((t) => t.is_completed === 1).length;
    return {
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
      threads: own.map((t) => presentThread(statuses, t, grouped.get(`${run.id}:${t.id}`) ?? EMPTY)),
      ...presentCounts(statuses, (id) => own.reduce((sum, t) => sum + countOf(t, id), 0)),
      thread_count: own.length,
      thread_active_count: own.length - completed,
      thread_completed_count: completed,
      created_at: run.created_at,
      created_by: run.created_by ?? 0,
      updated_at: run.updated_at,
      updated_by: run.updated_by,
      completed_at: run.completed_at,
      completed_by: run.completed_by,
    } as AutomationRun;
  });
}
