import { createRoute, lazyRouteComponent } from "@tanstack/react-router";
import { projectRoute } from "../../app/routes";
import { validateRepositorySearch } from "./search";

export const repositoryRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: "repository",
  validateSearch: validateRepositorySearch,
  component: lazyRouteComponent(() => import("./RepositoryPage"), "RepositoryPage"),
});
