import { enumParam, orderParam, positiveIntParam, textParam } from "../../ui/search-params";

/** What the flaky tests page shows, held in the URL: `?sort=name&order=asc&source=2&quarantined=no&name=cart&page=2`. */
export const FLAKY_SORTS = ["flaky_percent", "failure_count", "last_result_at", "name"] as const;
export type FlakySort = (typeof FLAKY_SORTS)[number];

export interface FlakySearch {
  sort?: FlakySort;
  order?: "asc" | "desc";
  source?: number;
  quarantined?: "yes" | "no";
  name?: string;
  page?: number;
}

export function validateFlakySearch(search: Record<string, unknown>): FlakySearch {
  return {
    sort: enumParam(search.sort, FLAKY_SORTS),
    order: orderParam(search.order),
    source: positiveIntParam(search.source, 2_147_483_647),
    quarantined: enumParam(search.quarantined, ["yes", "no"] as const),
    name: textParam(search.name),
    page: positiveIntParam(search.page),
  };
}

/** Names ascend first; figures and times descend first. */
export function flakyFirstOrder(sort: FlakySort): "asc" | "desc" {
  return sort === "name" ? "asc" : "desc";
}
