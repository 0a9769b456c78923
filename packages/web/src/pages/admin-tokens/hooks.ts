import type { UserApiToken, UserApiTokenList } from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";

/** Every user's active API tokens (`GET /x/tokens`), never the tokens themselves. */
export const allTokensQuery = queryOptions({
  queryKey: ["admin", "tokens"],
  queryFn: async ({ signal }): Promise<UserApiToken[]> =>
    (await api.get<UserApiTokenList>("/x/tokens", { signal })).result,
});

export function useAllTokens() {
  return useQuery(allTokensQuery);
}

export function useRevokeAnyToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/x/tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: allTokensQuery.queryKey }),
  });
}
