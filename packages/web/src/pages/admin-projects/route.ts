import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { enumParam } from "../../ui/search-params";
import { adminRoute } from "../admin/route";

export const PROJECT_STATES = ["active", "archived", "all"] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

export interface AdminProjectsSearch {
  /** which projects the list shows (default: active) */
  show?: ProjectState | undefined;
}

export const adminProjectsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "projects",
  validateSearch: (search: Record<string, unknown>): AdminProjectsSearch => ({
    show: enumParam(search.show, PROJECT_STATES),
  }),
  component: lazyRouteComponent(() => import("./AdminProjectsPage"), "AdminProjectsPage"),
});
