import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { positiveIntParam } from "../../ui/search-params";
import { adminRoute } from "../admin/route";

export interface AdminTokensSearch {
  /** only this user's tokens */
  user?: number | undefined;
}

export const adminTokensRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "tokens",
  validateSearch: (search: Record<string, unknown>): AdminTokensSearch => ({
    user: positiveIntParam(search.user, 2_147_483_647),
  }),
  component: lazyRouteComponent(() => import("./AdminTokensPage"), "AdminTokensPage"),
});
