import type { ApiToken, ApiTokenList, CreatedApiToken, CreatedApiTokenResult } from "@assay/api";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";

/** The signed-in user's own API tokens (`/api/v1/x/me/tokens`). */
export const tokensQuery = queryOptions({
  queryKey: ["me", "tokens"],
  queryFn: async ({ signal }): Promise<ApiToken[]> => (await api.get<ApiTokenList>("/x/me/tokens", { signal })).result,
});

export function useTokens() {
  return useQuery(tokensQuery);
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (name: string): Promise<CreatedApiToken> =>
      (await api.post<CreatedApiTokenResult>("/x/me/tokens", { name })).result,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensQuery.queryKey }),
  });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/x/me/tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensQuery.queryKey }),
  });
}

/** The line a CI job runs to upload results with the new token (the token is shown only this once). */
export function ciCommand({ token, origin, projectId }: { token: string; origin: string; projectId: number | null }) {
  return (
    `ASSAY_TOKEN=${token} npx assay automation:run:submit --instance ${origin} ` +
    `--project-id ${projectId ?? "<project id>"} --name "CI build" --source "<source>" ` +
    `--results "reports/**/*.xml" -- <your test command>`
  );
}
