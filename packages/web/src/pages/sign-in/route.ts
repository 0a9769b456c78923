import { createRoute, lazyRouteComponent, redirect } from "@tanstack/react-router";
import { sessionQuery } from "../../api/session";
import { safeRedirect, validateRedirectSearch } from "../../app/params";
import { publicRoute } from "../../app/routes";

/** `/sign-in?redirect=/where/the/user/was`: someone already signed in goes straight there. */
export const signInRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: "sign-in",
  validateSearch: validateRedirectSearch,
  beforeLoad: async ({ context, search }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery).catch(() => null);
    if (session) throw redirect({ href: safeRedirect(search.redirect), replace: true });
  },
  component: lazyRouteComponent(() => import("./SignInPage"), "SignInPage"),
});
