import { enumParam, positiveIntParam, textParam } from "../../ui/search-params";

/** What the test page's history table shows, held in the URL: `?status=failed&branch=main&page=2`. */
export const HISTORY_STATUSES = ["passed", "failed", "neutral"] as const;

export interface TestSearch {
  status?: (typeof HISTORY_STATUSES)[number];
  branch?: string;
  page?: number;
}

export function validateTestSearch(search: Record<string, unknown>): TestSearch {
  return {
    status: enumParam(search.status, HISTORY_STATUSES),
    branch: textParam(search.branch),
    page: positiveIntParam(search.page),
  };
}
