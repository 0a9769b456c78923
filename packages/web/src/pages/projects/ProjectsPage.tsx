import "./projects.css";
import type { Project } from "@assay/api";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useProjects } from "../../api/projects";
import { sessionQuery } from "../../api/session";
import { DataTable, dataColumns } from "../../ui/DataTable";
import { EmptyState } from "../../ui/EmptyState";
import { formatCount } from "../../ui/format";
import { PageHeader } from "../../ui/PageHeader";
import { QueryState } from "../../ui/QueryState";
import { Time } from "../../ui/Time";

const col = dataColumns<Project>();
const columns = col.columns([
  col.accessor("name", {
    header: "Project",
    sortFn: "text",
    cell: ({ row }) => (
      <div className="projects__name">
        <Link to="/projects/$projectId" params={{ projectId: row.original.id }}>
          {row.original.name}
        </Link>
        {row.original.note ? <p className="muted projects__note">{row.original.note}</p> : null}
      </div>
    ),
  }),
  col.accessor("automation_run_count", {
    header: "Automation runs",
    meta: { align: "end" },
    cell: ({ row }) => (
      <>
        {formatCount(row.original.automation_run_count)}
        {row.original.automation_run_active_count > 0 ? (
          <span className="muted"> ({formatCount(row.original.automation_run_active_count)} running)</span>
        ) : null}
      </>
    ),
  }),
  col.accessor("automation_source_active_count", {
    header: "Sources",
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  col.accessor("milestone_active_count", {
    header: "Active milestones",
    meta: { align: "end" },
    cell: ({ getValue }) => formatCount(getValue()),
  }),
  col.accessor("created_at", {
    header: "Created",
    sortFn: "datetime",
    cell: ({ getValue }) => <Time value={getValue()} />,
  }),
]);

const getRowId = (project: Project) => String(project.id);

/** The projects the signed-in user can see, with their automation run counts. */
export function ProjectsPage() {
  const projects = useProjects();
  const session = useQuery(sessionQuery);
  return (
    <>
      <PageHeader title="Projects" />
      <QueryState query={projects} loadingLabel="Loading projects…">
        {(data) => (
          <DataTable
            caption="Your projects"
            captionHidden
            columns={columns}
            data={data}
            getRowId={getRowId}
            initialSorting={[{ id: "name", desc: false }]}
            empty={<NoProjects isAdmin={session.data?.user.is_admin ?? false} />}
          />
        )}
      </QueryState>
    </>
  );
}

function NoProjects({ isAdmin }: { isAdmin: boolean }) {
  return (
    <EmptyState title="No projects yet">
      {isAdmin ? (
        <>
          <p>Projects hold automation runs, tests and their history. Create one on the server:</p>
          <pre className="code">npx assay-server project create --name "Backend"</pre>
          <p>It prints the new project's id, which the CLI's --project-id takes.</p>
        </>
      ) : (
        <p>You do not have access to any project. Ask an administrator to give you access to one.</p>
      )}
    </EmptyState>
  );
}
