import { Link } from "@tanstack/react-router";
import { useProject } from "../api/projects";

/** The left navigation inside a project. The active page is marked by the router (`aria-current="page"`). */
export function ProjectNav({ projectId }: { projectId: number }) {
  const project = useProject(projectId);
  const params = { projectId };
  return (
    <nav className="project-nav" aria-label="Project">
      <p className="project-nav__name" title={project.data?.name}>
        {project.data?.name ?? `Project ${projectId}`}
      </p>
      <ul>
        <li>
          <Link to="/projects/$projectId" params={params} activeOptions={{ exact: true }}>
            Dashboard
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/repository" params={params}>
            Repository
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/runs" params={params}>
            Runs
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/manual-runs" params={params}>
            Manual runs
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/flaky" params={params}>
            Flaky tests
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/slowest" params={params}>
            Slowest tests
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/failure-groups" params={params}>
            Failure groups
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/sessions" params={params}>
            Sessions
          </Link>
        </li>
        <li>
          <Link to="/projects/$projectId/milestones" params={params}>
            Milestones
          </Link>
        </li>
      </ul>
    </nav>
  );
}
