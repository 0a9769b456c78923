import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { useEffect } from "react";
import { onUnauthorized } from "../api/client";
import { forgetSession } from "../api/session";
import type { AppRouter } from "./router";

/** Paths that need no session: a 401 there is not a reason to go to the sign-in page. */
const PUBLIC_PATHS = /^\/(?:sign-in|invite|set-password)(?:\/|$)/;

/**
 * The whole UI: React Query's cache and the router. A 401 from any request means the session ended:
 * the cache is emptied and the user goes to sign in, then back to where they were.
 */
export function App({ router, queryClient }: { router: AppRouter; queryClient: QueryClient }) {
  useEffect(() => {
    onUnauthorized(() => {
      const location = router.latestLocation;
      if (PUBLIC_PATHS.test(location.pathname)) return;
      forgetSession(queryClient);
      void router.navigate({ to: "/sign-in", search: { redirect: location.href }, replace: true });
    });
    return () => onUnauthorized(null);
  }, [router, queryClient]);
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
