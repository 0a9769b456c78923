import type { SetQuarantine } from "@assay/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  automationSourcesQuery,
  caseFailureGroupsQuery,
  caseHistoryQuery,
  insightCaseQuery,
  insightSettingsQuery,
  liftQuarantine,
  type Outcome,
  setQuarantine,
  storeQuarantine,
  userQuery,
} from "../../api/insights";
import type { TestSearch } from "./search";

/** Results shown in the history table per page. */
export const HISTORY_PER_PAGE = 25;

export function useTestCase(caseId: number) {
  return useQuery(insightCaseQuery(caseId));
}

/** The last 100 results (newest first), for the strip and the chart. */
export function useRecentHistory(caseId: number) {
  return useQuery(caseHistoryQuery(caseId, { page: 1, perPage: 100 }));
}

const OUTCOMES: Readonly<Record<NonNullable<TestSearch["status"]>, Outcome>> = { passed: 2, failed: 3, neutral: 1 };

/** The history table's page, with the URL's filters. */
export function useHistoryPage(caseId: number, search: TestSearch) {
  return useQuery(
    caseHistoryQuery(caseId, {
      page: search.page ?? 1,
      perPage: HISTORY_PER_PAGE,
      status: search.status ? OUTCOMES[search.status] : undefined,
      branch: search.branch,
    }),
  );
}

export function useCaseFailureGroups(caseId: number) {
  return useQuery(caseFailureGroupsQuery(caseId));
}

export function useInsightSettings(projectId: number | undefined) {
  return useQuery({ ...insightSettingsQuery(projectId ?? 0), enabled: projectId !== undefined });
}

export function useSources(projectId: number | undefined) {
  return useQuery({ ...automationSourcesQuery(projectId ?? 0), enabled: projectId !== undefined });
}

export function useUser(userId: number | null | undefined) {
  return useQuery({ ...userQuery(userId ?? 0), enabled: typeof userId === "number" });
}

export function useSetQuarantine(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SetQuarantine) => setQuarantine(caseId, body),
    onSuccess: (quarantine) => storeQuarantine(queryClient, caseId, quarantine),
  });
}

export function useLiftQuarantine(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => liftQuarantine(caseId),
    onSuccess: () => storeQuarantine(queryClient, caseId, null),
  });
}
