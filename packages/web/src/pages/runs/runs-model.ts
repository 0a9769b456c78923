import type { AutomationField, AutomationRun } from "@assay/api";
import type { QueryValue } from "../../api/client";

/**
 * The automation runs page without React: its URL search parameters, the API query they make, and what the
 * table derives from a run (commit, branch, whether it is still running).
 */

/** `/projects/:id/runs?source=1,2&status=3&tags=nightly&milestone=4&after=2026-05-01&before=2026-05-31&name=ci&page=2` */
export interface RunsSearch {
  page?: number;
  /** automation source ids, comma-separated */
  source?: string;
  /** run statuses, comma-separated: 2 success, 3 failure, 4 running */
  status?: string;
  /** tags, comma-separated (runs with any of them) */
  tags?: string;
  /** milestone ids, comma-separated */
  milestone?: string;
  /** created on or after this day (YYYY-MM-DD, the browser's time zone) */
  after?: string;
  /** created on or before this day (inclusive) */
  before?: string;
  /** part of the name: filters the runs of the page shown (the API has no name filter) */
  name?: string;
}

export const RUNS_PER_PAGE = 25;

export const RUN_STATUSES = [
  { value: "3", label: "Failure" },
  { value: "2", label: "Success" },
  { value: "4", label: "Running" },
] as const;

const IDS = /^\d{1,10}(,\d{1,10})*$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function ids(value: unknown, allowed?: readonly string[]): string | undefined {
  const raw = text(value)?.replace(/\s+/g, "");
  if (!raw || !IDS.test(raw)) return undefined;
  const parts = [...new Set(raw.split(","))].filter((part) => !allowed || allowed.includes(part));
  return parts.length > 0 ? parts.join(",") : undefined;
}

function day(value: unknown): string | undefined {
  const raw = text(value);
  return raw && DAY.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00`)) ? raw : undefined;
}

/** The router's `validateSearch`: keeps valid values only (a hand-edited URL never breaks the page). */
export function validateRunsSearch(search: Record<string, unknown>): RunsSearch {
  const page = Number(search.page);
  const result: RunsSearch = {
    page: Number.isInteger(page) && page > 1 && page <= 10_000_000 ? page : undefined,
    source: ids(search.source),
    status: ids(
      search.status,
      RUN_STATUSES.map((s) => s.value),
    ),
    tags: text(search.tags),
    milestone: ids(search.milestone),
    after: day(search.after),
    before: day(search.before),
    name: text(search.name),
  };
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as RunsSearch;
}

/** Start of a day in the browser's time zone, as the API's ISO date-time. */
export function startOfDay(value: string, dayOffset = 0): string {
  const date = new Date(`${value}T00:00:00`);
  date.setDate(date.getDate() + dayOffset);
  return date.toISOString();
}

/** The query of `GET /projects/{id}/automation/runs` for the page's filters (not `name`: the API has none). */
export function runsApiQuery(search: RunsSearch): Record<string, QueryValue> {
  return {
    page: search.page ?? 1,
    per_page: RUNS_PER_PAGE,
    expands: "automation_sources,milestones,configs",
    source_id: search.source,
    status: search.status,
    tags: search.tags
      ?.split(",")
      .map((tag) => tag.trim())
      .filter(Boolean)
      .join(","),
    milestone_id: search.milestone,
    created_after: search.after ? startOfDay(search.after) : undefined,
    // "to" is inclusive: before the start of the next day
    created_before: search.before ? startOfDay(search.before, 1) : undefined,
  };
}

/** Whether any filter that the API applies is set (then "no runs" means "none match", not "none yet"). */
export function hasServerFilters(search: RunsSearch): boolean {
  return Boolean(search.source || search.status || search.tags || search.milestone || search.after || search.before);
}

/** The runs whose name contains `name`, ignoring case. */
export function filterByName<T extends { name: string }>(runs: readonly T[], name: string | undefined): T[] {
  const wanted = name?.trim().toLowerCase();
  return wanted ? runs.filter((run) => run.name.toLowerCase().includes(wanted)) : [...runs];
}

/** A run still receiving results: the page polls while one is shown. */
export function isRunning(run: Pick<AutomationRun, "is_completed" | "status">): boolean {
  return !run.is_completed || run.status === 4;
}

const COMMIT_NAMES = ["commit", "commit sha", "git commit", "sha", "revision"];
const BRANCH_NAMES = ["branch", "git branch"];

/** Commit and branch of a run from its string fields, as the server reads them (docs/analytics.md). */
export function commitAndBranch(fields: readonly AutomationField[]): { commit: string | null; branch: string | null } {
  const find = (names: readonly string[]) => {
    for (const field of fields) {
      if (field.type !== 1 || !names.includes(field.name.trim().toLowerCase())) continue;
      const value = field.value?.trim();
      if (value) return value.slice(0, 250);
    }
    return null;
  };
  return { commit: find(COMMIT_NAMES), branch: find(BRANCH_NAMES) };
}

/** A commit as people read it: the first 8 characters of a hex hash, anything else as it is. */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{12,64}$/i.test(commit) ? commit.slice(0, 8) : commit;
}

/** The command a CI job runs to send its first results to this project. */
export function submitCommand(origin: string, projectId: number): string {
  return `npx assay automation:run:submit --instance ${origin} --project-id ${projectId} --name "CI build" --source "backend" --results "reports/**/*.xml" -- npm test`;
}
