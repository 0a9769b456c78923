import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorState } from "./ErrorState";
import { Loading } from "./Loading";

/**
 * Renders a query's three states: loading, an error with "Try again", or `children(data)`.
 * Keeps the previous data on screen while a refetch runs.
 */
export function QueryState<T>({
  query,
  loadingLabel,
  children,
}: {
  query: UseQueryResult<T>;
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError && query.data === undefined) {
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  }
  return <>{children(query.data as T)}</>;
}
