import type { Project } from "@assay/api";
import { getRouteApi, Link } from "@tanstack/react-router";
import { type FormEvent, useMemo, useState } from "react";
import { ApiError } from "../../api/client";
import { useProjects } from "../../api/projects";
import { Button } from "../../ui/Button";
import { type DataColumn, DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { errorMessage } from "../../ui/ErrorState";
import { TextField } from "../../ui/Field";
import { formatCount } from "../../ui/format";
import { InlineRename } from "../../ui/InlineRename";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { SegmentedControl } from "../../ui/SegmentedControl";
import { TextAreaField } from "../../ui/TextAreaField";
import { useCreateProject, useUpdateProject } from "./hooks";
import type { ProjectState } from "./route";

const routeApi = getRouteApi("/_app/admin/projects");
const col = dataColumns<Project>();
const getRowId = (project: Project) => String(project.id);
const STATE_OPTIONS = [
  { value: "active", label: "Active" },
  { value: "archived", label: "Archived" },
  { value: "all", label: "All" },
] as const;

/** Administration › Projects: create projects, rename them, archive or reopen them. */
export function AdminProjectsPage() {
  const projects = useProjects();
  const { show = "active" } = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const columns = useMemo(() => projectColumns(), []);
  return (
    <>
      <PageHeader title="Projects">
        <p>Archived projects keep their data and stay readable; reopen one to work in it again.</p>
      </PageHeader>
      <CreateProjectForm />
      <h2 className="section-title">Projects</h2>
      <SegmentedControl<ProjectState>
        legend="Show"
        options={STATE_OPTIONS}
        value={show}
        onChange={(value) => void navigate({ search: { show: value === "active" ? undefined : value }, replace: true })}
      />
      <QueryState query={projects} loadingLabel="Loading projects…">
        {(data) => (
          <DataTable
            caption="Projects"
            captionHidden
            columns={columns}
            data={data.filter((project) => show === "all" || project.is_completed === (show === "archived"))}
            getRowId={getRowId}
            initialSorting={[{ id: "name", desc: false }]}
            empty={<EmptyState title={show === "archived" ? "No archived projects" : "No projects"} />}
          />
        )}
      </QueryState>
    </>
  );
}

function projectColumns(): DataColumn<Project>[] {
  return col.columns([
    col.accessor("name", {
      header: "Name",
      sortFn: "text",
      cell: ({ row }) => <ProjectNameCell project={row.original} />,
    }),
    col.accessor("is_completed", {
      header: "Status",
      cell: ({ getValue }) => (getValue() ? <span className="admin-muted">Archived</span> : "Active"),
    }),
    col.accessor("automation_run_count", {
      header: "Automation runs",
      meta: { align: "end" },
      cell: ({ getValue }) => formatCount(getValue()),
    }),
    col.display({
      id: "actions",
      header: () => <span className="sr-only">Actions</span>,
      meta: { align: "end" },
      cell: ({ row }) => <ProjectActions project={row.original} />,
    }),
  ]);
}

function ProjectActions({ project }: { project: Project }) {
  const update = useUpdateProject();
  const archived = project.is_completed;
  return (
    <div className="admin-cell-control">
      <div className="admin-actions">
        <Link to="/admin/access" search={{ project: project.id }} className="button button--ghost">
          Access<span className="sr-only"> to {project.name}</span>
        </Link>
        <Button
          variant="ghost"
          busy={update.isPending}
          aria-label={`${archived ? "Reopen" : "Archive"} ${project.name}`}
          onClick={() => update.mutate({ id: project.id, changes: { is_completed: !archived } })}
        >
          {archived ? "Reopen" : "Archive"}
        </Button>
      </div>
      {update.isError ? (
        <p className="field__error" role="alert">
          {errorMessage(update.error)}
        </p>
      ) : null}
    </div>
  );
}

function CreateProjectForm() {
  const create = useCreateProject();
  const [name, setName] = useState("");
  const [note, setNote] = useState("");
  const [created, setCreated] = useState<Project | null>(null);
  const field = (key: string) => (create.error instanceof ApiError ? create.error.field(key) : undefined);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const project = await create.mutateAsync({ name: name.trim(), note: note.trim() || null }).catch(() => null);
    if (project) {
      setCreated(project);
      setName("");
      setNote("");
    }
  }

  return (
    <form className="form card" onSubmit={onSubmit} aria-labelledby="create-project-title">
      <h2 id="create-project-title" className="section-title">
        Create a project
      </h2>
      <div className="form__row">
        <TextField
          label="Project name"
          required
          maxLength={255}
          value={name}
          error={field("name")}
          onChange={(event) => setName(event.target.value)}
        />
        <TextAreaField
          label="Note"
          hint="Optional: what the project is for."
          rows={2}
          value={note}
          error={field("note")}
          onChange={(event) => setNote(event.target.value)}
        />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create project
        </Button>
      </div>
      {create.isError && !field("name") && !field("note") ? (
        <p className="form__error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
      {created ? (
        <p role="status">
          Project “{created.name}” created.{" "}
          <Link to="/admin/access" search={{ project: created.id }}>
            Set who can use it
          </Link>
          .
        </p>
      ) : null}
    </form>
  );
}

/** The name is a link to the project. */
function ProjectNameCell({ project }: { project: Project }) {
  const update = useUpdateProject();
  return (
    <InlineRename
      name={project.name}
      display={
        <Link to="/projects/$projectId" params={{ projectId: project.id }}>
          {project.name}
        </Link>
      }
      mutation={update}
      variables={(name) => ({ id: project.id, changes: { name } })}
    />
  );
}
