import "./repository.css";
import { getRouteApi } from "@tanstack/react-router";
import { ErrorState } from "../../ui/ErrorState";
import { Loading } from "../../ui/Loading";
import { PageHeader } from "../../ui/PageHeader";
import { CaseFilters } from "./CaseFilters";
import { CaseList } from "./CaseList";
import { FolderPanel } from "./FolderPanel";
import { useCanEditRepository, useCases, useFolders, useRepositoryOptions } from "./hooks";
import type { RepositorySearch } from "./search";

const routeApi = getRouteApi("/_app/projects/$projectId/repository");

/**
 * The case repository: the folder tree on the left, the open folder's cases on the right. The folder,
 * search, filters, page and selection live in the URL. Users without the repository permission see
 * everything but no write control.
 */
export function RepositoryPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const canEdit = useCanEditRepository(projectId);
  const folders = useFolders(projectId);
  const options = useRepositoryOptions(projectId);
  const cases = useCases(projectId, search);

  const update = (change: Partial<RepositorySearch>, replace = true) =>
    void navigate({ search: (current) => ({ ...current, page: undefined, ...change }), replace });

  if (folders.isError) return <ErrorState error={folders.error} retry={() => void folders.refetch()} />;
  return (
    <>
      <PageHeader title="Repository">
        <p>
          Test cases by folder. {canEdit ? "" : "You can read them; changing them needs the repository permission."}
        </p>
      </PageHeader>
      <div className="repository">
        {folders.data ? (
          <FolderPanel
            projectId={projectId}
            folders={folders.data}
            selectedId={search.folder ?? null}
            canEdit={canEdit}
            onSelect={(id) => update({ folder: id ?? undefined, selected: undefined }, false)}
          />
        ) : (
          <Loading label="Loading folders…" />
        )}
        <div className="repository__main">
          <CaseFilters search={search} options={options.data} onChange={(change) => update(change)} />
          {cases.isError && !cases.data ? (
            <ErrorState error={cases.error} retry={() => void cases.refetch()} />
          ) : cases.data ? (
            <CaseList
              projectId={projectId}
              envelope={cases.data}
              options={options.data}
              folders={folders.data ?? []}
              folderId={search.folder ?? null}
              selected={search.selected ?? []}
              canEdit={canEdit}
              onSelect={(ids) => update({ selected: ids.length > 0 ? ids : undefined, page: search.page })}
              onPage={(page) => update({ page }, false)}
              onCreated={(caseId) =>
                void navigate({ to: "/projects/$projectId/cases/$caseId", params: { projectId, caseId } })
              }
            />
          ) : (
            <Loading label="Loading cases…" />
          )}
        </div>
      </div>
    </>
  );
}
