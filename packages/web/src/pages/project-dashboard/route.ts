import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import { validateDashboardSearch } from "./search";

export const projectDashboardRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "/",
  validateSearch: validateDashboardSearch,
  component: lazyRouteComponent(() => import("./ProjectDashboardPage"), "ProjectDashboardPage"),
});
