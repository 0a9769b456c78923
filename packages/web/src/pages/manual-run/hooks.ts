import type {
  Connection,
  CreatedManualRunResult,
  CreateManualRunResult,
  ManualRunResult,
  ManualRunTest,
  ManualRunTestList,
  NamedExpand,
  Run,
  RunResultAttachment,
  RunResultAttachmentResult,
  UpdateManualRun,
} from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";
import { uploadFile } from "../../api/upload";

/** A manual run with its milestone and configuration names, its tests, and the writes of the execute page. */

export interface ManualRunData {
  run: Run;
  milestone: string | null;
  config: string | null;
}

/** Other testers record results in the same run: the page asks again this often. */
const REFRESH_MS = 5_000;

export function manualRunQuery(runId: number) {
  return queryOptions({
    queryKey: ["manual-runs", runId],
    queryFn: async ({ signal }): Promise<ManualRunData> => {
      const body = await api.get<{ result: Run; expands: Record<string, unknown[]> }>(`/runs/${runId}`, {
        query: { expands: "milestones,configs" },
        signal,
      });
      const nameOf = (list: unknown[] | undefined, id: number | null) =>
        (list as NamedExpand[] | undefined)?.find((item) => item.id === id)?.name ?? null;
      return {
        run: body.result,
        milestone: nameOf(body.expands?.milestones, body.result.milestone_id),
        config: nameOf(body.expands?.configs, body.result.config_id),
      };
    },
    refetchInterval: REFRESH_MS,
  });
}

export function runTestsQuery(runId: number) {
  return queryOptions({
    queryKey: ["manual-runs", runId, "tests"],
    queryFn: async ({ signal }): Promise<ManualRunTest[]> =>
      (await api.get<ManualRunTestList>(`/x/runs/${runId}/tests`, { signal })).result,
    refetchInterval: REFRESH_MS,
  });
}

export const useManualRun = (runId: number) => useQuery(manualRunQuery(runId));
export const useRunTests = (runId: number) => useQuery(runTestsQuery(runId));

/** Issue trackers and their external projects, to link an issue by its key. */
export function useConnections(enabled: boolean) {
  return useQuery({
    queryKey: ["issue-connections"],
    queryFn: ({ signal }) => fetchAllPages<Connection>("/issues/connections", {}, { signal, maxPages: 5 }),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** A screenshot (or any file) for a saved result. */
export async function uploadResultFile(resultId: number, file: File): Promise<RunResultAttachment> {
  return (await uploadFile<RunResultAttachmentResult>(`/x/run-results/${resultId}/attachments`, file).done).result;
}

export interface ResultInput extends CreateManualRunResult {
  file?: File | null;
}

export interface SavedResult {
  result: CreatedManualRunResult;
  /** set when the result was saved but its file was not */
  uploadError: ApiError | null;
}

/** Saves a result, then its file; a failed upload keeps the result and says so. */
export function useAddResult(runId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, ...body }: ResultInput): Promise<SavedResult> => {
      const result = await api.post<CreatedManualRunResult>(`/x/runs/${runId}/results`, body);
      let uploadError: ApiError | null = null;
      if (file) {
        await uploadResultFile(result.result.id, file).catch((error: unknown) => {
          uploadError = error instanceof ApiError ? error : new ApiError(0, String(error));
        });
      }
      return { result, uploadError };
    },
    onSuccess: ({ result }) => {
      queryClient.setQueryData<ManualRunData>(["manual-runs", runId], (old) =>
        old ? { ...old, run: result.run } : old,
      );
      return queryClient.invalidateQueries({ queryKey: ["manual-runs", runId, "tests"] });
    },
  });
}

/** Renames the run or changes its milestone or configuration. */
export function useUpdateRun(runId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: UpdateManualRun): Promise<Run> =>
      (await api.patch<ManualRunResult>(`/x/runs/${runId}`, body)).result,
    onSuccess: (run) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["manual-runs", runId], exact: true }),
        queryClient.invalidateQueries({ queryKey: ["projects", run.project_id, "manual-runs"] }),
      ]),
  });
}

/** Gives one test to a user (or nobody); the list is read again with the answer. */
export function useAssignTest(runId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ testId, assigneeId }: { testId: number; assigneeId: number | null }) =>
      (
        await api.post<ManualRunTestList>(`/x/runs/${runId}/assign`, {
          test_ids: [testId],
          assignee_id: assigneeId,
        })
      ).result,
    onSuccess: (tests) => queryClient.setQueryData(["manual-runs", runId, "tests"], tests),
  });
}

export function useCloseRun(runId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<Run> => (await api.post<ManualRunResult>(`/x/runs/${runId}/close`, {})).result,
    onSuccess: (run) => {
      queryClient.setQueryData<ManualRunData>(["manual-runs", runId], (old) => (old ? { ...old, run } : old));
      return queryClient.invalidateQueries({ queryKey: ["projects", run.project_id, "manual-runs"] });
    },
  });
}
