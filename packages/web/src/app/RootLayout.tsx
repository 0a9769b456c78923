import { Outlet, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef } from "react";

/**
 * Around every page. After a navigation to another path (not a change of filters in the query string)
 * the focus moves to the page's main region, so keyboard and screen-reader users start at the new page.
 */
export function RootLayout() {
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (pathname) document.getElementById("main")?.focus({ preventScroll: true });
  }, [pathname]);
  return <Outlet />;
}
