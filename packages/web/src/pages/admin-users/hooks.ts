import type { CreateInvite, Invite, InviteResult, UpdateUser, User } from "@assay/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { adminUsersQuery } from "../admin/hooks";

/** `POST /x/invites`: a new user (or an existing one without access yet) and their one-time link. */
export function useInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateInvite): Promise<Invite> =>
      (await api.post<InviteResult>("/x/invites", body)).result,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminUsersQuery.queryKey }),
  });
}

/** `PATCH /x/users/{id}`: role, name or active state. */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, changes }: { id: number; changes: UpdateUser }): Promise<User> =>
      (await api.patch<{ result: User }>(`/x/users/${id}`, changes)).result,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminUsersQuery.queryKey }),
  });
}
