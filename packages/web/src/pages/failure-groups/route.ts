import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import { validateFailureGroupsSearch } from "./search";

export const failureGroupsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "failure-groups",
  validateSearch: validateFailureGroupsSearch,
  component: lazyRouteComponent(() => import("./FailureGroupsPage"), "FailureGroupsPage"),
});
