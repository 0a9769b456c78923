import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { positiveIntParam } from "../../ui/search-params";
import { adminRoute } from "../admin/route";

export interface AdminRetentionSearch {
  /** the project whose policies are shown */
  project?: number | undefined;
}

export const adminRetentionRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "retention",
  validateSearch: (search: Record<string, unknown>): AdminRetentionSearch => ({
    project: positiveIntParam(search.project, 2_147_483_647),
  }),
  component: lazyRouteComponent(() => import("./AdminRetentionPage"), "AdminRetentionPage"),
});
