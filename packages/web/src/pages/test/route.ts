import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { idParams } from "../../app/params";
import { appRoute } from "../../app/routes";
import { validateTestSearch } from "./search";

export const testRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "automation/cases/$caseId",
  params: idParams("caseId"),
  validateSearch: validateTestSearch,
  component: lazyRouteComponent(() => import("./TestPage"), "TestPage"),
});
