import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { idParams } from "../../app/params";
import { appRoute } from "../../app/routes";
import { milestoneProgressQuery, milestoneQuery } from "../milestones/hooks";

/** `/milestones/:milestoneId`: a milestone's progress across manual runs, sessions and automation runs. */
export const milestoneRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "milestones/$milestoneId",
  params: idParams("milestoneId"),
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(milestoneQuery(params.milestoneId));
    void context.queryClient.prefetchQuery(milestoneProgressQuery(params.milestoneId));
  },
  component: lazyRouteComponent(() => import("./MilestonePage"), "MilestonePage"),
});
