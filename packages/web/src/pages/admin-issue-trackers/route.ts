import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { adminRoute } from "../admin/route";

export const adminIssueTrackersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "issue-trackers",
  component: lazyRouteComponent(() => import("./AdminIssueTrackersPage"), "AdminIssueTrackersPage"),
});
