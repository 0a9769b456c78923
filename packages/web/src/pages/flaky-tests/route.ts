import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import { validateFlakySearch } from "./search";

export const flakyTestsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "flaky",
  validateSearch: validateFlakySearch,
  component: lazyRouteComponent(() => import("./FlakyTestsPage"), "FlakyTestsPage"),
});
