import { Outlet } from "@tanstack/react-router";
import { PRODUCT_NAME } from "../ui/usePageTitle";

/** Pages for signed-out people: the product name and one card. */
export function PublicLayout() {
  return (
    <div className="public-layout">
      <header className="public-layout__header">
        <span className="brand">{PRODUCT_NAME}</span>
      </header>
      <main id="main" tabIndex={-1} className="public-layout__main">
        <Outlet />
      </main>
    </div>
  );
}
