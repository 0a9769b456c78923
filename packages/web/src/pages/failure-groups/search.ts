import type { FailureGroupSort } from "../../api/insights";
import { enumParam, orderParam, positiveIntParam } from "../../ui/search-params";

/** What the failure groups page shows, held in the URL: `?sort=occurrence_count&since=7d&page=2`. */
export const FAILURE_GROUP_SORTS: readonly FailureGroupSort[] = [
  "last_seen_at",
  "first_seen_at",
  "occurrence_count",
  "test_count",
  "run_count",
];

export const SINCE_OPTIONS = ["24h", "7d", "30d", "90d"] as const;
export type Since = (typeof SINCE_OPTIONS)[number];

export interface FailureGroupsSearch {
  sort?: FailureGroupSort;
  order?: "asc" | "desc";
  since?: Since;
  page?: number;
}

export function validateFailureGroupsSearch(search: Record<string, unknown>): FailureGroupsSearch {
  return {
    sort: enumParam(search.sort, FAILURE_GROUP_SORTS),
    order: orderParam(search.order),
    since: enumParam(search.since, SINCE_OPTIONS),
    page: positiveIntParam(search.page),
  };
}

const HOUR = 3_600_000;
const SINCE_HOURS: Readonly<Record<Since, number>> = { "24h": 24, "7d": 7 * 24, "30d": 30 * 24, "90d": 90 * 24 };

/**
 * The `since` of the API for a relative choice, as an ISO time rounded down to the minute (so the query,
 * and its cache entry, stay the same for a minute).
 */
export function sinceTime(since: Since | undefined, now = Date.now()): string | undefined {
  if (!since) return undefined;
  const time = now - SINCE_HOURS[since] * HOUR;
  return new Date(time - (time % 60_000)).toISOString();
}

export function failureGroupFirstOrder(_sort: FailureGroupSort): "asc" | "desc" {
  return "desc";
}
