import type { AutomationRun, AutomationSource, Milestone, NamedExpand, PageEnvelope } from "@assay/api";
import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";
import { isRunning, type RunsSearch, runsApiQuery } from "./runs-model";

/** While a run on the page is still running, the page asks again this often. */
export const POLL_MS = 4_000;

export interface RunsPage {
  envelope: PageEnvelope<AutomationRun>;
  sources: Map<number, string>;
  milestones: Map<number, string>;
  configs: Map<number, string>;
}

function names(expand: unknown[] | undefined): Map<number, string> {
  return new Map((expand as NamedExpand[] | undefined)?.map((item) => [item.id, item.name]) ?? []);
}

export function runsQuery(projectId: number, search: RunsSearch) {
  const query = runsApiQuery(search);
  return queryOptions({
    queryKey: ["projects", projectId, "automation-runs", query],
    queryFn: async ({ signal }): Promise<RunsPage> => {
      const envelope = await api.get<PageEnvelope<AutomationRun>>(`/projects/${projectId}/automation/runs`, {
        query,
        signal,
      });
      return {
        envelope,
        sources: names(envelope.expands?.automation_sources),
        milestones: names(envelope.expands?.milestones),
        configs: names(envelope.expands?.configs),
      };
    },
    staleTime: 2_000,
    // running runs update live; polling stops once every run shown is completed
    refetchInterval: (q) => (q.state.data?.envelope.result.some(isRunning) ? POLL_MS : false),
    placeholderData: keepPreviousData,
  });
}

export function useRuns(projectId: number, search: RunsSearch) {
  return useQuery(runsQuery(projectId, search));
}

export function useSources(projectId: number) {
  return useQuery({
    queryKey: ["projects", projectId, "automation-sources"],
    queryFn: ({ signal }) =>
      fetchAllPages<AutomationSource>(`/projects/${projectId}/automation/sources`, {}, { signal, maxPages: 10 }),
    staleTime: 60_000,
  });
}

export function useMilestones(projectId: number) {
  return useQuery({
    queryKey: ["projects", projectId, "milestones"],
    queryFn: ({ signal }) =>
      fetchAllPages<Milestone>(`/projects/${projectId}/milestones`, {}, { signal, maxPages: 10 }),
    staleTime: 60_000,
  });
}
