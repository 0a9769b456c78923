import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "../api/client";

/** Network trouble and gateway errors are worth a retry; a 4xx answer will not change by asking again. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && [0, 502, 503, 504].includes(error.status);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
      },
      mutations: { retry: false },
    },
  });
}
