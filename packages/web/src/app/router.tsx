import type { QueryClient } from "@tanstack/react-query";
import { createBrowserHistory, createRouter, type RouterHistory } from "@tanstack/react-router";
import { adminIndexRoute, adminRoute } from "../pages/admin/route";
import { adminAccessRoute } from "../pages/admin-access/route";
import { adminGroupsRoute } from "../pages/admin-groups/route";
import { adminIssueTrackersRoute } from "../pages/admin-issue-trackers/route";
import { adminProjectsRoute } from "../pages/admin-projects/route";
import { adminRetentionRoute } from "../pages/admin-retention/route";
import { adminRolesRoute } from "../pages/admin-roles/route";
import { adminTokensRoute } from "../pages/admin-tokens/route";
import { adminUsersRoute } from "../pages/admin-users/route";
import { apiTokensRoute } from "../pages/api-tokens/route";
import { caseRoute } from "../pages/case/route";
import { failureGroupRoute } from "../pages/failure-group/route";
import { failureGroupsRoute } from "../pages/failure-groups/route";
import { flakyTestsRoute } from "../pages/flaky-tests/route";
import { manualRunRoute } from "../pages/manual-run/route";
import { manualRunsRoute } from "../pages/manual-runs/route";
import { milestoneRoute } from "../pages/milestone/route";
import { milestonesRoute } from "../pages/milestones/route";
import { projectDashboardRoute } from "../pages/project-dashboard/route";
import { projectsRoute } from "../pages/projects/route";
import { repositoryRoute } from "../pages/repository/route";
import { runRoute } from "../pages/run/route";
import { runsRoute } from "../pages/runs/route";
import { sessionRoute } from "../pages/session/route";
import { sessionsRoute } from "../pages/sessions/route";
import { inviteRoute, setPasswordRoute } from "../pages/set-password/route";
import { signInRoute } from "../pages/sign-in/route";
import { slowestTestsRoute } from "../pages/slowest-tests/route";
import { testRoute } from "../pages/test/route";
import { Loading } from "../ui/Loading";
import { RouteError } from "./RouteError";
import { appRoute, homeRoute, projectRoute, publicRoute, rootRoute } from "./routes";
import { parseSearch, stringifySearch } from "./search";

/**
 * Every page of the UI, by URL (the paths of the server↔web contract). To add a page: create
 * `pages/<name>/route.ts` (parent: publicRoute, appRoute or projectRoute) and add it here.
 */
export const routeTree = rootRoute.addChildren([
  publicRoute.addChildren([signInRoute, inviteRoute, setPasswordRoute]),
  appRoute.addChildren([
    homeRoute,
    projectsRoute,
    projectRoute.addChildren([
      projectDashboardRoute,
      repositoryRoute,
      caseRoute,
      runsRoute,
      manualRunsRoute,
      flakyTestsRoute,
      slowestTestsRoute,
      failureGroupsRoute,
      sessionsRoute,
      milestonesRoute,
    ]),
    runRoute,
    manualRunRoute,
    testRoute,
    failureGroupRoute,
    sessionRoute,
    milestoneRoute,
    apiTokensRoute,
    adminRoute.addChildren([
      adminIndexRoute,
      adminUsersRoute,
      adminGroupsRoute,
      adminRolesRoute,
      adminProjectsRoute,
      adminAccessRoute,
      adminRetentionRoute,
      adminIssueTrackersRoute,
      adminTokensRoute,
    ]),
  ]),
]);

export function createAppRouter({ queryClient, history }: { queryClient: QueryClient; history?: RouterHistory }) {
  return createRouter({
    routeTree,
    history: history ?? createBrowserHistory(),
    context: { queryClient },
    defaultPreload: "intent",
    // pages read through React Query: the router need not cache loader results itself
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
    parseSearch,
    stringifySearch,
    defaultPendingComponent: () => <Loading />,
    defaultErrorComponent: RouteError,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module "@tanstack/react-router" {
  interface Register {
    router: AppRouter;
  }
}
