import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { adminRoute } from "../admin/route";

export const adminRolesRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "roles",
  component: lazyRouteComponent(() => import("./AdminRolesPage"), "AdminRolesPage"),
});
