import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { positiveIntParam } from "../../ui/search-params";
import { adminRoute } from "../admin/route";

export interface AdminGroupsSearch {
  /** the group whose members are shown */
  group?: number | undefined;
}

export const adminGroupsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "groups",
  validateSearch: (search: Record<string, unknown>): AdminGroupsSearch => ({
    group: positiveIntParam(search.group, 2_147_483_647),
  }),
  component: lazyRouteComponent(() => import("./AdminGroupsPage"), "AdminGroupsPage"),
});
