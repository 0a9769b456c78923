import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { idParams } from "../../app/params";
import { appRoute } from "../../app/routes";
import { sessionRecordingQuery } from "./hooks";

/** `/sessions/:sessionId`: recording one exploratory session. */
export const sessionRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "sessions/$sessionId",
  params: idParams("sessionId"),
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(sessionRecordingQuery(params.sessionId));
  },
  component: lazyRouteComponent(() => import("./SessionPage"), "SessionPage"),
});
