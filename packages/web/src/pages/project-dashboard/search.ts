import { positiveIntParam } from "../../ui/search-params";

/** What the dashboard's trends show, held in the URL: `?days=90&source=2` (default: 30 days, all sources). */
export const TREND_DAYS = [7, 14, 30, 90] as const;
export type TrendDays = (typeof TREND_DAYS)[number];

export interface DashboardSearch {
  days?: TrendDays;
  source?: number;
}

export function validateDashboardSearch(search: Record<string, unknown>): DashboardSearch {
  const days = positiveIntParam(search.days, 365);
  return {
    days: (TREND_DAYS as readonly number[]).includes(days ?? 0) ? (days as TrendDays) : undefined,
    source: positiveIntParam(search.source, 2_147_483_647),
  };
}
