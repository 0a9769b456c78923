import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, redirect } from "@tanstack/react-router";
import { sessionQuery } from "../api/session";
import { NotFoundPage } from "../pages/not-found/NotFoundPage";
import { AppLayout } from "./AppLayout";
import { PublicLayout } from "./PublicLayout";
import { idParams } from "./params";
import { RootLayout } from "./RootLayout";

/**
 * The frame every page hangs in. Pages add their route in `pages/<name>/route.ts` with one of these as
 * parent, and `router.tsx` puts it in the tree:
 *
 * - `publicRoute`: pages for signed-out people (sign-in, invite and password links), centred card.
 * - `appRoute`: everything behind sign-in, with the top bar; a missing or expired session goes to
 *   `/sign-in?redirect=<where the user was>` before anything renders.
 * - `projectRoute`: `/projects/$projectId/…` (numeric `projectId`), with the project's navigation.
 */
export interface RouterContext {
  queryClient: QueryClient;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
});

export const publicRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_public",
  component: PublicLayout,
});

export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_app",
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: "/sign-in", search: { redirect: location.href }, replace: true });
    return { session };
  },
  component: AppLayout,
});

export const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/projects", replace: true });
  },
});

export const projectRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "projects/$projectId",
  params: idParams("projectId"),
});
