import { useQuery } from "@tanstack/react-query";
import { failureGroupsQuery } from "../../api/insights";
import { type FailureGroupsSearch, sinceTime } from "./search";

export const FAILURE_GROUPS_PER_PAGE = 50;

/** The project's failure groups by the URL's sort, `since` and page. */
export function useFailureGroups(projectId: number, search: FailureGroupsSearch) {
  return useQuery(
    failureGroupsQuery(projectId, {
      sort: search.sort ?? "last_seen_at",
      order: search.order ?? "desc",
      page: search.page ?? 1,
      perPage: FAILURE_GROUPS_PER_PAGE,
      since: sinceTime(search.since),
    }),
  );
}
