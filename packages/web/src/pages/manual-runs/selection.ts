import type { RepositoryCase, RepositoryFolder } from "@assay/api";

/** The repository as a list for picking: folders in tree order (parents before children), each with its cases. */
export interface FolderEntry {
  folder: RepositoryFolder;
  depth: number;
  cases: RepositoryCase[];
  /** cases in the folder and all its subfolders: what choosing the folder brings */
  total: number;
}

export function folderTree(folders: readonly RepositoryFolder[], cases: readonly RepositoryCase[]): FolderEntry[] {
  const children = new Map<number | null, RepositoryFolder[]>();
  for (const folder of folders) {
    const siblings = children.get(folder.parent_id) ?? [];
    siblings.push(folder);
    children.set(folder.parent_id, siblings);
  }
  for (const siblings of children.values()) {
    siblings.sort((a, b) => a.display_order - b.display_order || a.name.localeCompare(b.name));
  }
  const casesOf = new Map<number | null, RepositoryCase[]>();
  for (const kase of cases) casesOf.set(kase.folder_id, [...(casesOf.get(kase.folder_id) ?? []), kase]);
  const result: FolderEntry[] = [];
  /** Adds the folders under `parent` in order; returns how many cases they hold with their subfolders. */
  const visit = (parent: number | null, depth: number): number => {
    let sum = 0;
    for (const folder of children.get(parent) ?? []) {
      const own = casesOf.get(folder.id) ?? [];
      const entry = { folder, depth, cases: own, total: own.length };
      result.push(entry);
      entry.total += visit(folder.id, depth + 1);
      sum += entry.total;
    }
    return sum;
  };
  visit(null, 0);
  return result;
}

/** Folder ids with every folder below them. */
export function withSubfolders(folders: readonly RepositoryFolder[], chosen: ReadonlySet<number>): Set<number> {
  const result = new Set<number>();
  const children = new Map<number, number[]>();
  for (const f of folders)
    if (f.parent_id !== null) children.set(f.parent_id, [...(children.get(f.parent_id) ?? []), f.id]);
  const stack = [...chosen];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (result.has(id)) continue;
    result.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return result;
}

/** How many distinct cases the chosen folders (with subfolders) and single cases hold. */
export function countSelected(
  repository: { folders: readonly RepositoryFolder[]; cases: readonly RepositoryCase[] },
  folderIds: ReadonlySet<number>,
  caseIds: ReadonlySet<number>,
): number {
  const inFolders = withSubfolders(repository.folders, folderIds);
  return repository.cases.filter((c) => caseIds.has(c.id) || (c.folder_id !== null && inFolders.has(c.folder_id)))
    .length;
}

/** "smoke, regression ," → ["smoke", "regression"]. */
export function tagList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}
