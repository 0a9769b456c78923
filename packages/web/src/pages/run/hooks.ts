import type {
  AutomationRun,
  AutomationRunTest,
  CompactRunTests,
  NamedExpand,
  PageEnvelope,
  RunComparison,
  RunFailureGroup,
  RunTestDetail,
} from "@assay/api";
import { keepPreviousData, queryOptions, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";
import { fromCompact, fromTests, type SortKey, type StatusInfo, type TestData } from "./table-model";

/** While the run is still running, its counts (and comparison) are asked for again this often. */
export const RUN_POLL_MS = 4_000;

export interface RunInfo {
  run: AutomationRun;
  source: string;
  config: string | null;
  milestone: string | null;
  statuses: StatusInfo[];
}

function firstName(expand: unknown[] | undefined, id: number | null): string | null {
  if (id === null) return null;
  return (expand as NamedExpand[] | undefined)?.find((item) => item.id === id)?.name ?? null;
}

export function runQuery(runId: number) {
  return queryOptions({
    queryKey: ["automation-runs", runId],
    queryFn: async ({ signal }): Promise<RunInfo> => {
      const { result, expands } = await api.get<{ result: AutomationRun; expands: Record<string, unknown[]> }>(
        `/automation/runs/${runId}`,
        { query: { expands: "automation_sources,configs,milestones,statuses" }, signal },
      );
      return {
        run: result,
        source: firstName(expands.automation_sources, result.source_id) ?? `Source ${result.source_id}`,
        config: firstName(expands.configs, result.config_id),
        milestone: firstName(expands.milestones, result.milestone_id),
        statuses: (expands.statuses as StatusInfo[] | undefined) ?? [],
      };
    },
    refetchInterval: (q) => (q.state.data && !q.state.data.run.is_completed ? RUN_POLL_MS : false),
  });
}

export function useRunInfo(runId: number) {
  return useQuery(runQuery(runId));
}

const SERVER_SORT: Record<SortKey, string> = {
  status: "automation_run_tests:status",
  name: "automation_run_tests:name",
  duration: "automation_run_tests:elapsed",
};

/** Rows of the first page: enough to fill the screen at once while every test loads. */
export const FIRST_PAGE_SIZE = 100;

/** The first page of the §7 list in the table's order: the rows on screen while the compact list loads. */
export function firstTestsQuery(runId: number, sort: SortKey, desc: boolean) {
  return queryOptions({
    queryKey: ["automation-runs", runId, "tests", "first", sort, desc],
    queryFn: async ({ signal }): Promise<TestData> => {
      const page = await api.get<PageEnvelope<AutomationRunTest>>(`/automation/runs/${runId}/tests`, {
        query: { per_page: FIRST_PAGE_SIZE, sort: SERVER_SORT[sort], order: desc ? "desc" : "asc" },
        signal,
      });
      return fromTests(page.result);
    },
    staleTime: 30_000,
  });
}

/** Every test of the run in columns (`/x/…/tests/compact`), turned into the table's data once. */
export function compactTestsQuery(runId: number) {
  return queryOptions({
    queryKey: ["automation-runs", runId, "tests", "compact"],
    queryFn: async ({ signal }): Promise<TestData> => {
      const { result } = await api.get<{ result: CompactRunTests }>(`/x/automation/runs/${runId}/tests/compact`, {
        signal,
      });
      return fromCompact(result);
    },
    // 100,000 tests: never compared field by field with a previous answer
    structuralSharing: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
  });
}

/**
 * The run's tests for the table: the first page at once, then every test. The compact list is asked for
 * after the first page has arrived, so the server answers the small request first.
 */
export function useRunTests(runId: number, sort: SortKey, desc: boolean, firstPageWanted: boolean) {
  const queryClient = useQueryClient();
  const cached = queryClient.getQueryData(compactTestsQuery(runId).queryKey) !== undefined;
  const first = useQuery({ ...firstTestsQuery(runId, sort, desc), enabled: firstPageWanted && !cached });
  // once asked for, the compact list stays asked for (a new first page for another sort does not hold it back)
  const started = useRef(false);
  if (cached || !firstPageWanted || first.isFetched || first.isError) started.current = true;
  const full = useQuery({ ...compactTestsQuery(runId), enabled: started.current });
  return { first, full };
}

export function comparisonQuery(runId: number, baselineId: number | undefined, running: boolean) {
  return queryOptions({
    queryKey: ["automation-runs", runId, "comparison", baselineId ?? null],
    queryFn: async ({ signal }) =>
      (
        await api.get<{ result: RunComparison }>(`/x/automation/runs/${runId}/comparison`, {
          query: { baseline_id: baselineId, limit: 50 },
          signal,
        })
      ).result,
    refetchInterval: running ? RUN_POLL_MS * 2 : false,
    placeholderData: keepPreviousData,
  });
}

export function useComparison(runId: number, baselineId: number | undefined, running: boolean) {
  return useQuery(comparisonQuery(runId, baselineId, running));
}

/** The failure groups seen in the run (their messages label the table's groups). */
export function useRunFailureGroups(runId: number, enabled: boolean) {
  return useQuery({
    queryKey: ["automation-runs", runId, "failure-groups"],
    queryFn: ({ signal }) =>
      fetchAllPages<RunFailureGroup>(`/x/automation/runs/${runId}/failure-groups`, {}, { signal, maxPages: 20 }),
    enabled,
    staleTime: 60_000,
  });
}

/** One test with its fields and artifacts, for the test panel. */
export function useRunTest(testId: number | undefined) {
  return useQuery({
    queryKey: ["automation-run-tests", testId],
    queryFn: async ({ signal }) =>
      (await api.get<{ result: RunTestDetail }>(`/x/automation/run-tests/${testId}`, { signal })).result,
    enabled: testId !== undefined,
    staleTime: 60_000,
  });
}

/** Recent runs of the project (newest first, up to 100) for the baseline picker. */
export function useProjectRuns(projectId: number | undefined) {
  return useQuery({
    queryKey: ["projects", projectId, "automation-runs", "picker"],
    queryFn: async ({ signal }) =>
      (
        await api.get<PageEnvelope<AutomationRun>>(`/projects/${projectId}/automation/runs`, {
          query: { per_page: 100 },
          signal,
        })
      ).result,
    enabled: projectId !== undefined,
    staleTime: 30_000,
  });
}
