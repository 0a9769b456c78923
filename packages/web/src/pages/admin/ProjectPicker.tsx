import type { Project } from "@assay/api";
import type { ReactNode } from "react";
import { useProjects } from "../../api/projects";
import { QueryState } from "../../ui/QueryState";
import { SelectField } from "../../ui/SelectField";

/**
 * The project an administration page works on (Access, Retention), held in the URL as `?project=`;
 * an id that names no project says so. Renders `children` with the chosen project, if any.
 */
export function ProjectPicker({
  projectId,
  onChange,
  children,
}: {
  projectId: number | undefined;
  onChange: (projectId: number | undefined) => void;
  children: (project: Project) => ReactNode;
}) {
  const projects = useProjects();
  const project = projects.data?.find((p) => p.id === projectId);
  return (
    <>
      <QueryState query={projects} loadingLabel="Loading projects…">
        {(data) => (
          <div className="form__row">
            <SelectField
              label="Project"
              value={projectId ?? ""}
              onChange={(event) => onChange(event.target.value ? Number(event.target.value) : undefined)}
            >
              <option value="">Choose a project…</option>
              {data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                  {p.is_completed ? " (archived)" : ""}
                </option>
              ))}
            </SelectField>
          </div>
        )}
      </QueryState>
      {project ? children(project) : null}
      {projectId !== undefined && projects.data && !project ? (
        <p className="form__error" role="alert">
          Project {projectId} does not exist. Choose a project above.
        </p>
      ) : null}
    </>
  );
}
