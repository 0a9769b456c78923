import { enumParam, orderParam, positiveIntParam, textParam } from "../../ui/search-params";

/**
 * What the slowest tests page shows, held in the URL. `sort` picks the figure that ranks the tests:
 * mean duration, 95th percentile of the last 30, or growth of the recent median (docs/analytics.md).
 */
export const SLOWEST_SORTS = ["elapsed_average", "elapsed_p95", "elapsed_change_percent", "name"] as const;
export type SlowestSort = (typeof SLOWEST_SORTS)[number];

export interface SlowestSearch {
  sort?: SlowestSort;
  order?: "asc" | "desc";
  source?: number;
  quarantined?: "yes" | "no";
  name?: string;
  page?: number;
}

export function validateSlowestSearch(search: Record<string, unknown>): SlowestSearch {
  return {
    sort: enumParam(search.sort, SLOWEST_SORTS),
    order: orderParam(search.order),
    source: positiveIntParam(search.source, 2_147_483_647),
    quarantined: enumParam(search.quarantined, ["yes", "no"] as const),
    name: textParam(search.name),
    page: positiveIntParam(search.page),
  };
}

export function slowestFirstOrder(sort: SlowestSort): "asc" | "desc" {
  return sort === "name" ? "asc" : "desc";
}
