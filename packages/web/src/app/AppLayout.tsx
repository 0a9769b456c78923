import { Outlet } from "@tanstack/react-router";
import { ProjectNav } from "./ProjectNav";
import { ProjectContextProvider, useCurrentProjectId } from "./project-context";
import { TopBar } from "./TopBar";

/** Signed-in pages: skip link, top bar, the project's navigation when there is a project, the page. */
export function AppLayout() {
  return (
    <ProjectContextProvider>
      <Frame />
    </ProjectContextProvider>
  );
}

function Frame() {
  const projectId = useCurrentProjectId();
  return (
    <div className={projectId ? "app-layout app-layout--with-nav" : "app-layout"}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <TopBar projectId={projectId} />
      {projectId ? <ProjectNav projectId={projectId} /> : null}
      <main id="main" tabIndex={-1} className="app-layout__main">
        <Outlet />
      </main>
    </div>
  );
}
