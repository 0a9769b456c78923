import type {
  AutomationSource,
  CaseFailureGroup,
  FailureGroup,
  FailureGroupDetail,
  InsightCase,
  InsightSettings,
  PageEnvelope,
  Quarantine,
  SetQuarantine,
  TestHistoryItem,
  TrendDay,
  User,
} from "@assay/api";
import { keepPreviousData, type QueryClient, queryOptions } from "@tanstack/react-query";
import { api } from "./client";
import { fetchAllPages } from "./pages";

/**
 * Test intelligence (Assay's `/api/v1/x/` extension; every figure is defined in docs/analytics.md): the
 * tests of a project ranked by flakiness or duration, one test with its history, failure groups,
 * trends and quarantine. Query keys start with "insights" so a quarantine change can refresh them all.
 */

/** Page sizes the API accepts. */
export type PerPage = 15 | 25 | 50 | 100;

/** Outcome of a test's latest result, or of one result: 1 neutral, 2 passed, 3 failed. */
export type Outcome = 1 | 2 | 3;

export type CaseSort =
  | "flaky_percent"
  | "elapsed_average"
  | "elapsed_p95"
  | "elapsed_change_percent"
  | "failure_count"
  | "last_result_at"
  | "name";

export interface CaseListParams {
  sort: CaseSort;
  order: "asc" | "desc";
  page: number;
  perPage: PerPage;
  sourceId?: number;
  flaky?: boolean;
  quarantined?: boolean;
  name?: string;
  status?: Outcome;
}

/** `GET /x/projects/{id}/automation/cases`: a page of tests with their figures. */
export function insightCasesQuery(projectId: number, params: CaseListParams) {
  return queryOptions({
    queryKey: ["insights", "cases", projectId, params],
    queryFn: ({ signal }) =>
      api.get<PageEnvelope<InsightCase>>(`/x/projects/${projectId}/automation/cases`, {
        query: {
          sort: params.sort,
          order: params.order,
          page: params.page,
          per_page: params.perPage,
          source_id: params.sourceId,
          flaky: params.flaky,
          quarantined: params.quarantined,
          name: params.name,
          status: params.status,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** `GET /x/automation/cases/{id}`. */
export function insightCaseQuery(caseId: number) {
  return queryOptions({
    queryKey: ["insights", "case", caseId],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: InsightCase }>(`/x/automation/cases/${caseId}`, { signal })).result,
  });
}

export interface HistoryParams {
  page: number;
  perPage: PerPage;
  status?: Outcome;
  branch?: string;
}

/** `GET /x/automation/cases/{id}/history`: results, newest first. */
export function caseHistoryQuery(caseId: number, params: HistoryParams) {
  return queryOptions({
    queryKey: ["insights", "case", caseId, "history", params],
    queryFn: ({ signal }) =>
      api.get<PageEnvelope<TestHistoryItem>>(`/x/automation/cases/${caseId}/history`, {
        query: { page: params.page, per_page: params.perPage, status: params.status, branch: params.branch },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** `GET /x/automation/cases/{id}/failure-groups`: the groups the test failed with, latest first (up to 100). */
export function caseFailureGroupsQuery(caseId: number) {
  return queryOptions({
    queryKey: ["insights", "case", caseId, "failure-groups"],
    queryFn: ({ signal }) =>
      api.get<PageEnvelope<CaseFailureGroup>>(`/x/automation/cases/${caseId}/failure-groups`, {
        query: { per_page: 100 },
        signal,
      }),
  });
}

/** `GET /x/projects/{id}/insight-settings`: the flakiness window and thresholds. */
export function insightSettingsQuery(projectId: number) {
  return queryOptions({
    queryKey: ["insights", "settings", projectId],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: InsightSettings }>(`/x/projects/${projectId}/insight-settings`, { signal })).result,
    staleTime: 5 * 60_000,
  });
}

export type FailureGroupSort = "last_seen_at" | "first_seen_at" | "occurrence_count" | "test_count" | "run_count";

export interface FailureGroupListParams {
  sort: FailureGroupSort;
  order: "asc" | "desc";
  page: number;
  perPage: PerPage;
  /** ISO date-time: groups last seen at or after it */
  since?: string;
}

/** `GET /x/projects/{id}/failure-groups`. */
export function failureGroupsQuery(projectId: number, params: FailureGroupListParams) {
  return queryOptions({
    queryKey: ["insights", "failure-groups", projectId, params],
    queryFn: ({ signal }) =>
      api.get<PageEnvelope<FailureGroup>>(`/x/projects/${projectId}/failure-groups`, {
        query: {
          sort: `failure_groups:${params.sort}`,
          order: params.order,
          page: params.page,
          per_page: params.perPage,
          since: params.since,
        },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** `GET /x/failure-groups/{id}`: the group with its tests and newest runs. */
export function failureGroupQuery(groupId: number) {
  return queryOptions({
    queryKey: ["insights", "failure-group", groupId],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: FailureGroupDetail }>(`/x/failure-groups/${groupId}`, { signal })).result,
  });
}

/** `GET /x/projects/{id}/automation/trends`: one entry per UTC day and source (days without runs left out). */
export function trendsQuery(projectId: number, days: number, sourceId?: number) {
  return queryOptions({
    queryKey: ["insights", "trends", projectId, days, sourceId ?? null],
    queryFn: async ({ signal }) =>
      (
        await api.get<{ result: TrendDay[] }>(`/x/projects/${projectId}/automation/trends`, {
          query: { days, source_id: sourceId },
          signal,
        })
      ).result,
    placeholderData: keepPreviousData,
  });
}

/** The project's automation sources (for names and the source filter). */
export function automationSourcesQuery(projectId: number) {
  return queryOptions({
    queryKey: ["automation-sources", projectId],
    queryFn: ({ signal }) =>
      fetchAllPages<AutomationSource>(`/projects/${projectId}/automation/sources`, {}, { signal, maxPages: 10 }),
    staleTime: 60_000,
  });
}

/** A user's name, for "quarantined by". */
export function userQuery(userId: number) {
  return queryOptions({
    queryKey: ["users", userId],
    queryFn: async ({ signal }) => (await api.get<{ result: User }>(`/users/${userId}`, { signal })).result,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** `PUT /x/automation/cases/{id}/quarantine`: quarantines the test or replaces its quarantine. */
export async function setQuarantine(caseId: number, body: SetQuarantine): Promise<Quarantine> {
  return (await api.put<{ result: Quarantine }>(`/x/automation/cases/${caseId}/quarantine`, body)).result;
}

/** `DELETE /x/automation/cases/{id}/quarantine`: lifts it (a 204 also when there is none). */
export async function liftQuarantine(caseId: number): Promise<void> {
  await api.delete(`/x/automation/cases/${caseId}/quarantine`);
}

/** After a quarantine change: the test shows it at once, and every list of tests is read again. */
export function storeQuarantine(queryClient: QueryClient, caseId: number, quarantine: Quarantine | null): void {
  queryClient.setQueryData<InsightCase>(insightCaseQuery(caseId).queryKey, (current) =>
    current ? { ...current, quarantine } : current,
  );
  void queryClient.invalidateQueries({ queryKey: ["insights", "cases"] });
}
