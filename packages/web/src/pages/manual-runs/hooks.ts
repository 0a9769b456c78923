import type {
  CreateManualRun,
  ManualRunResult,
  Milestone,
  NamedExpand,
  PageEnvelope,
  ProjectConfig,
  ProjectConfigList,
  ProjectUser,
  RepositoryCase,
  RepositoryFolder,
  Run,
} from "@assay/api";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";
import type { ManualRunsSearch } from "./search";

/** Manual runs of a project and what creating one needs: milestones, configurations, users, folders, cases. */

export const MANUAL_RUNS_PER_PAGE = 25;

export interface ManualRunsPageData {
  envelope: PageEnvelope<Run>;
  milestones: Map<number, string>;
  configs: Map<number, string>;
}

const names = (expand: unknown[] | undefined) =>
  new Map((expand as NamedExpand[] | undefined)?.map((item) => [item.id, item.name]) ?? []);

export function manualRunsQuery(projectId: number, search: ManualRunsSearch) {
  const query = {
    page: search.page ?? 1,
    per_page: MANUAL_RUNS_PER_PAGE,
    is_closed: search.state === "closed" ? 1 : search.state === "all" ? undefined : 0,
    expands: "milestones,configs",
  };
  return queryOptions({
    queryKey: ["projects", projectId, "manual-runs", query],
    queryFn: async ({ signal }): Promise<ManualRunsPageData> => {
      const envelope = await api.get<PageEnvelope<Run>>(`/projects/${projectId}/runs`, { query, signal });
      return { envelope, milestones: names(envelope.expands?.milestones), configs: names(envelope.expands?.configs) };
    },
    placeholderData: keepPreviousData,
    // testers record results at the same time: progress stays current without a reload
    refetchInterval: 15_000,
  });
}

export function useManualRuns(projectId: number, search: ManualRunsSearch) {
  return useQuery(manualRunsQuery(projectId, search));
}

export function useProjectUsers(projectId: number | undefined) {
  return useQuery({
    queryKey: ["projects", projectId, "users"],
    queryFn: ({ signal }) => fetchAllPages<ProjectUser>(`/projects/${projectId}/users`, {}, { signal, maxPages: 10 }),
    enabled: projectId !== undefined,
    staleTime: 60_000,
  });
}

export function useMilestoneOptions(projectId: number) {
  return useQuery({
    queryKey: ["projects", projectId, "milestones", "open"],
    queryFn: ({ signal }) =>
      fetchAllPages<Milestone>(`/projects/${projectId}/milestones`, { is_completed: 0 }, { signal, maxPages: 10 }),
    staleTime: 60_000,
  });
}

export function useConfigs(projectId: number) {
  return useQuery({
    queryKey: ["projects", projectId, "configs"],
    queryFn: async ({ signal }): Promise<ProjectConfig[]> =>
      (await api.get<ProjectConfigList>(`/x/projects/${projectId}/configs`, { signal })).result,
    staleTime: 60_000,
  });
}

export interface Repository {
  folders: RepositoryFolder[];
  cases: RepositoryCase[];
}

/** The project's folders and cases, read through Testmo's API (at most 5,000 cases are offered here). */
export function useRepository(projectId: number, enabled: boolean) {
  return useQuery({
    queryKey: ["projects", projectId, "manual-runs", "repository"],
    queryFn: async ({ signal }): Promise<Repository> => {
      const [folders, cases] = await Promise.all([
        fetchAllPages<RepositoryFolder>(`/projects/${projectId}/folders`, {}, { signal, maxPages: 50 }),
        fetchAllPages<RepositoryCase>(`/projects/${projectId}/cases`, {}, { signal, maxPages: 50 }),
      ]);
      return { folders, cases };
    },
    enabled,
    staleTime: 30_000,
  });
}

export function useCreateManualRun(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateManualRun): Promise<Run> =>
      (await api.post<ManualRunResult>(`/x/projects/${projectId}/runs`, body)).result,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["projects", projectId, "manual-runs"] }),
        queryClient.invalidateQueries({ queryKey: ["projects", projectId, "configs"] }),
      ]),
  });
}
