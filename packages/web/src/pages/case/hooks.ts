import type { Attachment, CaseDetail, CaseDetailResult, SaveCase } from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api } from "../../api/client";
import { uploadFile } from "../../api/upload";

export function caseQuery(caseId: number) {
  return queryOptions({
    queryKey: ["cases", caseId],
    queryFn: async ({ signal }): Promise<CaseDetail> =>
      (await api.get<CaseDetailResult>(`/x/cases/${caseId}`, { signal })).result,
    // An open editor must not swap the version it edits under the user: refresh only on purpose.
    refetchOnWindowFocus: false,
  });
}

export function useCase(caseId: number) {
  return useQuery(caseQuery(caseId));
}

/** Re-reads the case (after a conflict: the other person's version). */
export function useFetchLatestCase(caseId: number) {
  const queryClient = useQueryClient();
  return () => queryClient.fetchQuery({ ...caseQuery(caseId), staleTime: 0 });
}

export function useSaveCase(caseId: number, projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SaveCase) => (await api.patch<CaseDetailResult>(`/x/cases/${caseId}`, body)).result,
    onSuccess: (saved) => {
      queryClient.setQueryData(caseQuery(caseId).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ["projects", projectId, "repository"] });
    },
  });
}

export function useDeleteAttachment(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/cases/${caseId}/attachments`, { body: { ids: [id] } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: caseQuery(caseId).queryKey }),
  });
}

/** One file for the case, with progress (0–1), through Testmo's single-file attachment endpoint. */
export function uploadAttachment(
  caseId: number,
  file: File,
  onProgress: (fraction: number) => void,
): { done: Promise<Attachment>; abort: () => void } {
  const upload = uploadFile<{ result: Attachment[] }>(`/cases/${caseId}/attachments/single`, file, { onProgress });
  const done = upload.done.then(({ result }) => {
    if (!result[0]) throw new ApiError(500, "The server stored no file. Try again.");
    return result[0];
  });
  return { done, abort: upload.abort };
}
