import { useQuery } from "@tanstack/react-query";
import { automationSourcesQuery, insightCasesQuery, insightSettingsQuery } from "../../api/insights";
import { type FlakySearch, flakyFirstOrder } from "./search";

export const FLAKY_PER_PAGE = 50;

/** The project's flaky tests (`flaky=true`), by the URL's sort, filters and page. */
export function useFlakyTests(projectId: number, search: FlakySearch) {
  return useQuery(
    insightCasesQuery(projectId, {
      flaky: true,
      sort: search.sort ?? "flaky_percent",
      order: search.order ?? flakyFirstOrder(search.sort ?? "flaky_percent"),
      page: search.page ?? 1,
      perPage: FLAKY_PER_PAGE,
      sourceId: search.source,
      quarantined: search.quarantined === undefined ? undefined : search.quarantined === "yes",
      name: search.name,
    }),
  );
}

export function useSources(projectId: number) {
  return useQuery(automationSourcesQuery(projectId));
}

export function useInsightSettings(projectId: number) {
  return useQuery(insightSettingsQuery(projectId));
}
