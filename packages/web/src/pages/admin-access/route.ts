import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { positiveIntParam } from "../../ui/search-params";
import { adminRoute } from "../admin/route";

export interface AdminAccessSearch {
  /** the project whose access is shown */
  project?: number | undefined;
}

export const adminAccessRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "access",
  validateSearch: (search: Record<string, unknown>): AdminAccessSearch => ({
    project: positiveIntParam(search.project, 2_147_483_647),
  }),
  component: lazyRouteComponent(() => import("./AdminAccessPage"), "AdminAccessPage"),
});
