import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { publicRoute } from "../../app/routes";

/**
 * The one-time links an administrator hands out: `/invite/$token` (a new user) and `/set-password/$token`
 * (a reset). Both show whom the link is for and set the password; the page is the same.
 */
export const inviteRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: "invite/$token",
  component: lazyRouteComponent(() => import("./SetPasswordPage"), "InvitePage"),
});

export const setPasswordRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: "set-password/$token",
  component: lazyRouteComponent(() => import("./SetPasswordPage"), "ResetPasswordPage"),
});
