import type { Connection, CreateIssueIntegration, IssueIntegration, UpdateIssueIntegration } from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { fetchAllPages } from "../../api/pages";

/** Every tracker, active or not, with its connections and projects (Testmo's `GET /issues/connections`). */
export const issueTrackersQuery = queryOptions({
  queryKey: ["admin", "issue-trackers"],
  queryFn: ({ signal }) =>
    fetchAllPages<Connection>("/issues/connections", { sort: "integrations:name", order: "asc" }, { signal }),
});

export function useIssueTrackers() {
  return useQuery(issueTrackersQuery);
}

/**
 * Tracker writes (`/x/issue-integrations…`). Each reads this list again and drops the cached connection
 * lists of the issue pickers (manual-run results, cases), so a new tracker can be used at once.
 */
function useTrackerMutation<A, R>(mutationFn: (args: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: issueTrackersQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: ["issue-connections"] }),
        queryClient.invalidateQueries({ queryKey: ["issues", "connections"] }),
      ]);
    },
  });
}

export function useCreateTracker() {
  return useTrackerMutation((body: CreateIssueIntegration) =>
    api.post<{ result: IssueIntegration }>("/x/issue-integrations", body),
  );
}

export function useUpdateTracker() {
  return useTrackerMutation(({ id, changes }: { id: number; changes: UpdateIssueIntegration }) =>
    api.patch<{ result: IssueIntegration }>(`/x/issue-integrations/${id}`, changes),
  );
}

export function useDeleteTracker() {
  return useTrackerMutation((id: number) => api.delete(`/x/issue-integrations/${id}`));
}
