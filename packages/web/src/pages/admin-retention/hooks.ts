import type { AutomationSource, RetentionPolicy } from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";

/** A project's retention policies (`/x/projects/{id}/retention`) and its automation sources. */
export function retentionQuery(projectId: number) {
  return queryOptions({
    queryKey: ["admin", "retention", projectId],
    queryFn: async ({ signal }): Promise<RetentionPolicy[]> =>
      (await api.get<{ result: RetentionPolicy[] }>(`/x/projects/${projectId}/retention`, { signal })).result,
  });
}

export function sourcesQuery(projectId: number) {
  return queryOptions({
    queryKey: ["admin", "sources", projectId],
    queryFn: ({ signal }) =>
      fetchAllPages<AutomationSource>(`/projects/${projectId}/automation/sources`, {}, { signal }),
  });
}

export function useRetention(projectId: number) {
  return useQuery(retentionQuery(projectId));
}

export function useSources(projectId: number) {
  return useQuery(sourcesQuery(projectId));
}

export function useSaveRetention(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (policies: RetentionPolicy[]) =>
      (await api.put<{ result: RetentionPolicy[] }>(`/x/projects/${projectId}/retention`, { policies })).result,
    onSuccess: (saved) => queryClient.setQueryData(retentionQuery(projectId).queryKey, saved),
  });
}

/** One row of the form: a scope (null: the whole project) and its two limits as typed. */
export interface PolicyDraft {
  sourceId: number | null;
  keepDays: string;
  keepRuns: string;
}

export function draftsOf(scopes: (number | null)[], policies: RetentionPolicy[]): PolicyDraft[] {
  return scopes.map((sourceId) => {
    const policy = policies.find((p) => p.source_id === sourceId);
    return {
      sourceId,
      keepDays: policy?.keep_days == null ? "" : String(policy.keep_days),
      keepRuns: policy?.keep_runs == null ? "" : String(policy.keep_runs),
    };
  });
}

/** What is wrong with a typed limit, or null: a whole number from 1 to `max`, or empty. */
export function limitProblem(text: string, max: number, unit: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  if (/^\d+$/.test(trimmed) && value >= 1 && value <= max) return null;
  return `Enter a whole number of ${unit} from 1 to ${max.toLocaleString("en")}, or leave it empty.`;
}

export const MAX_KEEP_DAYS = 36_500;
export const MAX_KEEP_RUNS = 10_000_000;

/**
 * The policies to send: rows with at least one limit, in row order, with the row each came from (the
 * server's `policies.N…` errors name the sent index). Call it once limitProblem found nothing.
 */
export function policiesOf(drafts: PolicyDraft[]): { policies: RetentionPolicy[]; rows: number[] } {
  const policies: RetentionPolicy[] = [];
  const rows: number[] = [];
  drafts.forEach((draft, row) => {
    if (draft.keepDays.trim() === "" && draft.keepRuns.trim() === "") return;
    policies.push({
      source_id: draft.sourceId,
      keep_days: limit(draft.keepDays),
      keep_runs: limit(draft.keepRuns),
    });
    rows.push(row);
  });
  return { policies, rows };
}

function limit(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  return Number(trimmed);
}
