import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { appRoute } from "../../app/routes";

export const apiTokensRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "settings/tokens",
  component: lazyRouteComponent(() => import("./ApiTokensPage"), "ApiTokensPage"),
});
