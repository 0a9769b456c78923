import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import { validateSlowestSearch } from "./search";

export const slowestTestsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "slowest",
  validateSearch: validateSlowestSearch,
  component: lazyRouteComponent(() => import("./SlowestTestsPage"), "SlowestTestsPage"),
});
