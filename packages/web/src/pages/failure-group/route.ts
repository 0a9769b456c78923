import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { idParams } from "../../app/params";
import { appRoute } from "../../app/routes";

export const failureGroupRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "failure-groups/$groupId",
  params: idParams("groupId"),
  component: lazyRouteComponent(() => import("./FailureGroupPage"), "FailureGroupPage"),
});
