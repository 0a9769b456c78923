import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import { validateManualRunsSearch } from "./search";

export const manualRunsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "manual-runs",
  validateSearch: validateManualRunsSearch,
  component: lazyRouteComponent(() => import("./ManualRunsPage"), "ManualRunsPage"),
});
