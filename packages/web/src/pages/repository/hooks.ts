import type {
  CaseListItem,
  FolderContentsResult,
  PageEnvelope,
  RepositoryFolder,
  RepositoryOptions,
  RepositoryOptionsResult,
} from "@assay/api";
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";
import { useCan } from "../../api/permissions";
import type { RepositorySearch } from "./search";

/** Cases per page of the list. */
export const CASES_PER_PAGE = 100;

/** Whether the user may change the project's repository (false while unknown: write controls stay hidden). */
export function useCanEditRepository(projectId: number): boolean {
  return useCan(projectId, "repository");
}

export function optionsQuery(projectId: number) {
  return queryOptions({
    queryKey: ["projects", projectId, "repository", "options"],
    queryFn: async ({ signal }): Promise<RepositoryOptions> =>
      (await api.get<RepositoryOptionsResult>(`/x/projects/${projectId}/repository`, { signal })).result,
    staleTime: 30_000,
  });
}

export function useRepositoryOptions(projectId: number) {
  return useQuery(optionsQuery(projectId));
}

export function foldersQuery(projectId: number) {
  return queryOptions({
    queryKey: ["projects", projectId, "repository", "folders"],
    queryFn: ({ signal }) =>
      fetchAllPages<RepositoryFolder>(
        `/projects/${projectId}/folders`,
        { sort: "display_order", order: "asc" },
        { signal, maxPages: 100 },
      ),
  });
}

export function useFolders(projectId: number) {
  return useQuery(foldersQuery(projectId));
}

export function useCases(projectId: number, search: RepositorySearch) {
  const query = {
    search: search.q,
    folder_id: search.folder,
    include_subfolders: search.folder ? true : undefined,
    tag_id: search.tag,
    state_id: search.state,
    template_id: search.template,
    custom_field: search.field && search.value ? search.field : undefined,
    custom_value: search.field && search.value ? search.value : undefined,
    page: search.page,
    per_page: CASES_PER_PAGE,
  };
  return useQuery({
    queryKey: ["projects", projectId, "repository", "cases", query],
    queryFn: ({ signal }) => api.get<PageEnvelope<CaseListItem>>(`/x/projects/${projectId}/cases`, { query, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Re-reads everything the repository screen shows after a change. */
function useRepositoryRefresh(projectId: number) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ["projects", projectId, "repository"] });
}

export function useCreateFolder(projectId: number) {
  const refresh = useRepositoryRefresh(projectId);
  return useMutation({
    mutationFn: async (input: { name: string; parent_id: number | null }) =>
      (
        await api.post<{ result: RepositoryFolder[] }>(`/projects/${projectId}/folders`, {
          folders: [{ name: input.name, parent_id: input.parent_id }],
        })
      ).result[0]!,
    onSuccess: refresh,
  });
}

export function useRenameFolder(projectId: number) {
  const refresh = useRepositoryRefresh(projectId);
  return useMutation({
    mutationFn: (input: { id: number; name: string }) =>
      api.patch(`/projects/${projectId}/folders`, { ids: [input.id], name: input.name }),
    onSuccess: refresh,
  });
}

export function useMoveFolder(projectId: number) {
  const refresh = useRepositoryRefresh(projectId);
  return useMutation({
    mutationFn: (input: { id: number; parent_id: number | null; position: number }) =>
      api.post(`/x/folders/${input.id}/move`, { parent_id: input.parent_id, position: input.position }),
    onSuccess: refresh,
  });
}

export function useDeleteFolder(projectId: number) {
  const refresh = useRepositoryRefresh(projectId);
  return useMutation({
    mutationFn: (id: number) => api.delete(`/projects/${projectId}/folders`, { body: { ids: [id] } }),
    onSuccess: refresh,
  });
}

export function useFolderContents(folderId: number | null) {
  return useQuery({
    queryKey: ["folder-contents", folderId],
    queryFn: async ({ signal }) =>
      (await api.get<FolderContentsResult>(`/x/folders/${folderId}/contents`, { signal })).result,
    enabled: folderId !== null,
    staleTime: 0,
  });
}

export function useCreateCase(projectId: number) {
  const refresh = useRepositoryRefresh(projectId);
  return useMutation({
    mutationFn: async (input: { name: string; folder_id: number | null }) =>
      (await api.post<{ result: { id: number }[] }>(`/projects/${projectId}/cases`, { cases: [input] })).result[0]!,
    onSuccess: refresh,
  });
}

/** One change applied to every selected case (Testmo's bulk PATCH): a state, the tags or a folder. */
export type BulkChange = { state_id: number } | { tags: string[] } | { folder_id: number | null };

export function useBulkUpdateCases(projectId: number) {
  const refresh = useRepositoryRefresh(projectId);
  return useMutation({
    mutationFn: (input: { ids: number[]; change: BulkChange }) =>
      api.patch(`/projects/${projectId}/cases`, { ids: input.ids, ...input.change }),
    onSuccess: refresh,
  });
}

export function useBulkDeleteCases(projectId: number) {
  const refresh = useRepositoryRefresh(projectId);
  return useMutation({
    mutationFn: (ids: number[]) => api.delete(`/projects/${projectId}/cases`, { body: { ids } }),
    onSuccess: refresh,
  });
}
