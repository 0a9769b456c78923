import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { idParams } from "../../app/params";
import { appRoute } from "../../app/routes";
import { firstTestsQuery, runQuery } from "./hooks";
import { firstPageFits, tableStateOf, validateRunSearch } from "./run-search";

/**
 * `/automation/runs/:runId` (the address the CLI prints). The loader starts the run's request and its first
 * page of tests while the page's code loads, without waiting for them.
 */
export const runRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "automation/runs/$runId",
  params: idParams("runId"),
  validateSearch: validateRunSearch,
  loaderDeps: ({ search }) => tableStateOf(search),
  loader: ({ context, params, deps }) => {
    const { queryClient } = context;
    void queryClient.prefetchQuery(runQuery(params.runId));
    const compact = queryClient.getQueryData(["automation-runs", params.runId, "tests", "compact"]);
    if (firstPageFits(deps) && compact === undefined) {
      void queryClient.prefetchQuery(firstTestsQuery(params.runId, deps.sort, deps.desc));
    }
  },
  component: lazyRouteComponent(() => import("./RunPage"), "RunPage"),
});
