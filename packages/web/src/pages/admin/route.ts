import { createRoute, redirect } from "@tanstack/react-router";
import { appRoute } from "../../app/routes";
import { AdminLayout } from "./AdminLayout";

/** `/admin/…`: the administration pages, inside their own navigation (AdminLayout checks the admin permission). */
export const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "admin",
  component: AdminLayout,
});

/** `/admin` itself opens the first page, Users. */
export const adminIndexRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: "/",
  beforeLoad: () => {
    throw redirect({ to: "/admin/users", replace: true });
  },
});
