import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { idParams } from "../../app/params";
import { projectRoute } from "../../app/routes";

export const caseRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "cases/$caseId",
  params: idParams("caseId"),
  component: lazyRouteComponent(() => import("./CasePage"), "CasePage"),
});
