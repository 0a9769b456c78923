import { Link } from "@tanstack/react-router";
import { buttonClass } from "../../ui/Button";
import { usePageTitle } from "../../ui/usePageTitle";

/** An address that names no page (or an id that cannot exist). */
export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <main id="main" tabIndex={-1} className="not-found">
      <h1>Page not found</h1>
      <p>There is no page at this address. It may have been mistyped, or what it showed was deleted.</p>
      <Link to="/projects" className={buttonClass("primary")}>
        Go to the projects
      </Link>
    </main>
  );
}
