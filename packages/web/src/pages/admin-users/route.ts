import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { textParam } from "../../ui/search-params";
import { adminRoute } from "../admin/route";

export interface AdminUsersSearch {
  /** a part of the name or e-mail */
  q?: string | undefined;
}

export const adminUsersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "users",
  validateSearch: (search: Record<string, unknown>): AdminUsersSearch => ({ q: textParam(search.q, 200) }),
  component: lazyRouteComponent(() => import("./AdminUsersPage"), "AdminUsersPage"),
});
