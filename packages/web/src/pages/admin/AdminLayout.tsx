import "./admin.css";
import { useQuery } from "@tanstack/react-query";
import { Link, Outlet } from "@tanstack/react-router";
import { sessionQuery } from "../../api/session";
import { PageHeader } from "../../ui/PageHeader";

const SECTIONS = [
  { to: "/admin/users", label: "Users" },
  { to: "/admin/groups", label: "Groups" },
  { to: "/admin/roles", label: "Roles" },
  { to: "/admin/projects", label: "Projects" },
  { to: "/admin/access", label: "Access" },
  { to: "/admin/retention", label: "Retention" },
  { to: "/admin/issue-trackers", label: "Issue trackers" },
  { to: "/admin/tokens", label: "Tokens" },
] as const;

/**
 * The administration area: its own navigation and the page. Someone without the admin permission who
 * opens an /admin URL gets a page that says so instead (the server refuses them anyway).
 */
export function AdminLayout() {
  const session = useQuery(sessionQuery);
  if (session.data && !session.data.user.is_admin) return <AdminForbidden />;
  return (
    <div className="admin-layout">
      <nav className="admin-nav" aria-label="Administration">
        <p className="admin-nav__title">Administration</p>
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.to}>
              <Link to={section.to}>{section.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-layout__page">
        <Outlet />
      </div>
    </div>
  );
}

function AdminForbidden() {
  return (
    <>
      <PageHeader title="No access to Administration" />
      <div className="error-state" role="alert">
        <h2 className="error-state__title">The admin permission is needed</h2>
        <p>
          Administration (users, groups, access, projects, retention, issue trackers and tokens) is only for users whose
          role has the admin permission. Ask an administrator if you need something changed.
        </p>
        <p>
          <Link to="/projects">Back to your projects</Link>
        </p>
      </div>
    </>
  );
}
