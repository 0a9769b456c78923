import { useMemo, useState } from "react";
import { TextField } from "../../ui/Field";
import type { Repository } from "./hooks";
import { folderTree, withSubfolders } from "./selection";

/** At most this many cases are listed at once; a search narrows the list. */
const MAX_CASES_SHOWN = 300;

/**
 * Folders in tree order, each with a checkbox (its subfolders are then included, shown checked and
 * disabled); with a search, the matching cases are listed under their folders to pick one by one.
 */
export function CasePicker({
  repository,
  folderIds,
  caseIds,
  onFolder,
  onCase,
}: {
  repository: Repository;
  folderIds: ReadonlySet<number>;
  caseIds: ReadonlySet<number>;
  onFolder: (id: number, on: boolean) => void;
  onCase: (id: number, on: boolean) => void;
}) {
  const [search, setSearch] = useState("");
  const tree = useMemo(() => folderTree(repository.folders, repository.cases), [repository]);
  const covered = useMemo(() => withSubfolders(repository.folders, folderIds), [repository.folders, folderIds]);
  const needle = search.trim().toLowerCase();
  let shown = 0;

  if (tree.length === 0) {
    return (
      <p className="muted">The repository has no folders yet: use a filter, or add cases to the repository first.</p>
    );
  }
  return (
    <div className="case-picker">
      <TextField
        label="Find cases to add one by one"
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <ul className="case-picker__list">
        {tree.map(({ folder, depth, cases, total }) => {
          const inherited = covered.has(folder.id) && !folderIds.has(folder.id);
          const matching = needle ? cases.filter((c) => c.name.toLowerCase().includes(needle)) : [];
          const listed = matching.slice(0, Math.max(0, MAX_CASES_SHOWN - shown));
          shown += listed.length;
          return (
            <li key={folder.id} className={`case-picker__folder case-picker__depth-${Math.min(depth, 6)}`}>
              <label>
                <input
                  type="checkbox"
                  checked={covered.has(folder.id)}
                  disabled={inherited}
                  onChange={(event) => onFolder(folder.id, event.target.checked)}
                />{" "}
                <span className="case-picker__folder-name">{folder.name}</span> <span className="muted">({total})</span>
              </label>
              {listed.length > 0 ? (
                <ul className="case-picker__cases">
                  {listed.map((kase) => (
                    <li key={kase.id}>
                      <label>
                        <input
                          type="checkbox"
                          checked={covered.has(folder.id) || caseIds.has(kase.id)}
                          disabled={covered.has(folder.id)}
                          onChange={(event) => onCase(kase.id, event.target.checked)}
                        />{" "}
                        {kase.name}
                      </label>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ul>
      {needle && shown >= MAX_CASES_SHOWN ? (
        <p className="muted">The first {MAX_CASES_SHOWN} matching cases are listed: type more to narrow the list.</p>
      ) : null}
    </div>
  );
}
