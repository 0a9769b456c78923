import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useProjects } from "../api/projects";
import { forgetSession, sessionQuery, signOut } from "../api/session";
import { errorMessage } from "../ui/ErrorState";
import { MenuButton } from "../ui/MenuButton";
import { PRODUCT_NAME } from "../ui/usePageTitle";

/** Product name, project switcher and the account menu. */
export function TopBar({ projectId }: { projectId: number | null }) {
  return (
    <header className="top-bar">
      <Link to="/projects" className="brand top-bar__brand">
        {PRODUCT_NAME}
      </Link>
      <ProjectSwitcher projectId={projectId} />
      <div className="top-bar__spacer" />
      <AdminLink />
      <UserMenu />
    </header>
  );
}

function ProjectSwitcher({ projectId }: { projectId: number | null }) {
  const projects = useProjects();
  const current = projects.data?.find((project) => project.id === projectId);
  const label = current ? current.name : "Projects";
  return (
    <nav aria-label="Projects" className="top-bar__projects">
      <MenuButton
        label={
          <span className="top-bar__project-name">
            {current ? <span className="sr-only">Project: </span> : null}
            {label}
          </span>
        }
      >
        {projects.isPending ? <li className="menu__note">Loading projects…</li> : null}
        {projects.isError ? <li className="menu__note">{errorMessage(projects.error)}</li> : null}
        {projects.data?.map((project) => (
          <li key={project.id}>
            <Link
              to="/projects/$projectId"
              params={{ projectId: project.id }}
              aria-current={project.id === projectId ? "true" : undefined}
            >
              {project.name}
            </Link>
          </li>
        ))}
        <li className="menu__separator">
          <Link to="/projects" activeOptions={{ exact: true }}>
            All projects
          </Link>
        </li>
      </MenuButton>
    </nav>
  );
}

/** The way into Administration, shown to administrators only (others get a 403 page there anyway). */
function AdminLink() {
  const session = useQuery(sessionQuery);
  if (!session.data?.user.is_admin) return null;
  return (
    <Link to="/admin" className="button button--ghost">
      Administration
    </Link>
  );
}

function UserMenu() {
  const session = useQuery(sessionQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const user = session.data?.user;

  async function leave(everywhere: boolean) {
    setFailure(null);
    try {
      await signOut(everywhere);
    } catch (error) {
      // an expired session is signed out already; anything else is worth saying
      if (!(error instanceof Error && "status" in error && error.status === 401)) {
        setFailure(`Signing out failed: ${errorMessage(error)}`);
        return;
      }
    }
    forgetSession(queryClient);
    await navigate({ to: "/sign-in", replace: true });
  }

  return (
    <div className="top-bar__user">
      <MenuButton
        align="end"
        label={
          <span className="top-bar__user-name">
            <span className="sr-only">Account: </span>
            {user?.name ?? "Account"}
          </span>
        }
      >
        {user ? (
          <li className="menu__note">
            <span className="menu__note-strong">{user.name}</span>
            <br />
            {user.email}
          </li>
        ) : null}
        <li>
          <Link to="/settings/tokens">API tokens</Link>
        </li>
        <li className="menu__separator">
          <button type="button" onClick={() => void leave(false)}>
            Sign out
          </button>
        </li>
        <li>
          <button type="button" onClick={() => void leave(true)}>
            Sign out everywhere
          </button>
        </li>
      </MenuButton>
      {failure ? (
        <p className="top-bar__failure" role="alert">
          {failure}
        </p>
      ) : null}
    </div>
  );
}
