import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import type { SessionState } from "./hooks";

export interface SessionsSearch {
  state?: SessionState;
  page?: number;
}

const STATES: readonly SessionState[] = ["open", "closed", "all"];

/** `?state=open|closed|all&page=N`: the list's filter and page live in the URL (deep links). */
export function validateSessionsSearch(search: Record<string, unknown>): SessionsSearch {
  const state = STATES.includes(search.state as SessionState) ? (search.state as SessionState) : undefined;
  const page = Number(search.page);
  const result: SessionsSearch = {
    state: state === "open" ? undefined : state,
    page: Number.isInteger(page) && page > 1 ? page : undefined,
  };
  // Defaults stay out of the URL.
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined));
}

export const sessionsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "sessions",
  validateSearch: validateSessionsSearch,
  component: lazyRouteComponent(() => import("./SessionsPage"), "SessionsPage"),
});
