import type { OneTimeLink, OneTimeLinkResult } from "@assay/api";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";

/** Whom a one-time link is for: `GET /x/auth/links/{token}` (404 unknown, 410 used or expired). */
export function linkQuery(token: string) {
  return queryOptions({
    queryKey: ["auth-link", token],
    queryFn: async ({ signal }): Promise<OneTimeLink> =>
      (
        await api.get<OneTimeLinkResult>(`/x/auth/links/${encodeURIComponent(token)}`, {
          signal,
          redirectOn401: false,
        })
      ).result,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useOneTimeLink(token: string) {
  return useQuery(linkQuery(token));
}
