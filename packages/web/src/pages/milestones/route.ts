import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import type { MilestoneState } from "./hooks";

export interface MilestonesSearch {
  state?: MilestoneState;
  page?: number;
}

const STATES: readonly MilestoneState[] = ["active", "completed", "all"];

/** `?state=active|completed|all&page=N`: the list's filter and page live in the URL (deep links). */
export function validateMilestonesSearch(search: Record<string, unknown>): MilestonesSearch {
  const state = STATES.includes(search.state as MilestoneState) ? (search.state as MilestoneState) : undefined;
  const page = Number(search.page);
  const result: MilestonesSearch = {
    state: state === "active" ? undefined : state,
    page: Number.isInteger(page) && page > 1 ? page : undefined,
  };
  // Defaults stay out of the URL.
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined));
}

export const milestonesRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "milestones",
  validateSearch: validateMilestonesSearch,
  component: lazyRouteComponent(() => import("./MilestonesPage"), "MilestonesPage"),
});
