import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { appRoute } from "../../app/routes";

export const projectsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "projects",
  component: lazyRouteComponent(() => import("./ProjectsPage"), "ProjectsPage"),
});
