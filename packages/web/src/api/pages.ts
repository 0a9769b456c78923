import type { PageEnvelope } from "@assay/api";
import { api, type QueryValue } from "./client";

/**
 * Every item of a paginated list (Testmo's `{page, next_page, result}` envelope), 100 per request,
 * for short lists such as projects. At most `maxPages` requests.
 */
export async function fetchAllPages<T>(
  path: string,
  query: Record<string, QueryValue> = {},
  options: { signal?: AbortSignal; maxPages?: number } = {},
): Promise<T[]> {
  const items: T[] = [];
  let page: number | null = 1;
  for (let requests = 0; page !== null && requests < (options.maxPages ?? 50); requests++) {
    const envelope: PageEnvelope<T> = await api.get<PageEnvelope<T>>(path, {
      query: { ...query, page, per_page: 100 },
      signal: options.signal,
    });
    items.push(...envelope.result);
    page = envelope.next_page;
  }
  return items;
}
