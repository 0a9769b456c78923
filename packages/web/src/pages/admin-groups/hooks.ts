import type { CreatedId, Group } from "@assay/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { adminGroupsQuery, adminUsersQuery } from "../admin/hooks";

/** Group writes (`/x/groups…`); each reads the groups and users (their `groups`) again. */
function useGroupMutation<A, R>(mutationFn: (args: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: adminGroupsQuery.queryKey }),
        queryClient.invalidateQueries({ queryKey: adminUsersQuery.queryKey }),
      ]);
    },
  });
}

export function useCreateGroup() {
  return useGroupMutation((name: string) => api.post<CreatedId>("/x/groups", { name }));
}

export function useRenameGroup() {
  return useGroupMutation(({ id, name }: { id: number; name: string }) =>
    api.patch<{ result: Group }>(`/x/groups/${id}`, { name }),
  );
}

export function useDeleteGroup() {
  return useGroupMutation((id: number) => api.delete(`/x/groups/${id}`));
}

export function useAddMember() {
  return useGroupMutation(({ groupId, userId }: { groupId: number; userId: number }) =>
    api.post<void>(`/x/groups/${groupId}/members`, { user_ids: [userId] }),
  );
}

export function useRemoveMember() {
  return useGroupMutation(({ groupId, userId }: { groupId: number; userId: number }) =>
    api.delete(`/x/groups/${groupId}/members/${userId}`),
  );
}
