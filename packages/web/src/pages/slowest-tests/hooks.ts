import { useQuery } from "@tanstack/react-query";
import { automationSourcesQuery, insightCasesQuery } from "../../api/insights";
import { type SlowestSearch, slowestFirstOrder } from "./search";

export const SLOWEST_PER_PAGE = 50;

/** The project's tests ranked by the URL's duration figure, with its filters and page. */
export function useSlowestTests(projectId: number, search: SlowestSearch) {
  const sort = search.sort ?? "elapsed_average";
  return useQuery(
    insightCasesQuery(projectId, {
      sort,
      order: search.order ?? slowestFirstOrder(sort),
      page: search.page ?? 1,
      perPage: SLOWEST_PER_PAGE,
      sourceId: search.source,
      quarantined: search.quarantined === undefined ? undefined : search.quarantined === "yes",
      name: search.name,
    }),
  );
}

export function useSources(projectId: number) {
  return useQuery(automationSourcesQuery(projectId));
}
