import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { idParams } from "../../app/params";
import { appRoute } from "../../app/routes";
import { manualRunQuery, runTestsQuery } from "./hooks";
import { validateManualRunSearch } from "./search";

/** `/manual-runs/:runId`: a manual run, executed test by test. The loader starts both requests early. */
export const manualRunRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "manual-runs/$runId",
  params: idParams("runId"),
  validateSearch: validateManualRunSearch,
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(manualRunQuery(params.runId));
    void context.queryClient.prefetchQuery(runTestsQuery(params.runId));
  },
  component: lazyRouteComponent(() => import("./ManualRunPage"), "ManualRunPage"),
});
