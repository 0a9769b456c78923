import type { RepositoryFolder } from "@assay/api";

/** A folder with its sub-folders, in display order. */
export interface FolderNode {
  folder: RepositoryFolder;
  children: FolderNode[];
  level: number;
}

function byDisplayOrder(a: RepositoryFolder, b: RepositoryFolder): number {
  return a.display_order - b.display_order || a.id - b.id;
}

/** The tree of a project's folders (any order in, display order out). */
export function buildTree(folders: readonly RepositoryFolder[]): FolderNode[] {
  const children = new Map<number | null, RepositoryFolder[]>();
  const ids = new Set(folders.map((f) => f.id));
  for (const folder of folders) {
    // A folder whose parent is missing from the list shows at the top level rather than vanishing.
    const parent = folder.parent_id !== null && ids.has(folder.parent_id) ? folder.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), folder]);
  }
  const build = (parent: number | null, level: number): FolderNode[] =>
    (children.get(parent) ?? [])
      .sort(byDisplayOrder)
      .map((folder) => ({ folder, level, children: build(folder.id, level + 1) }));
  return build(null, 1);
}

/** The nodes a reader sees, top to bottom: children of expanded folders only. */
export function visibleNodes(tree: readonly FolderNode[], expanded: ReadonlySet<number>): FolderNode[] {
  const out: FolderNode[] = [];
  const walk = (nodes: readonly FolderNode[]) => {
    for (const node of nodes) {
      out.push(node);
      if (expanded.has(node.folder.id)) walk(node.children);
    }
  };
  walk(tree);
  return out;
}

/** The ids of a folder's ancestors, nearest first. */
export function ancestorIds(folders: readonly RepositoryFolder[], id: number): number[] {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const out: number[] = [];
  let current = byId.get(id)?.parent_id ?? null;
  while (current !== null && !out.includes(current)) {
    out.push(current);
    current = byId.get(current)?.parent_id ?? null;
  }
  return out;
}

/** The folder and every folder below it. */
export function subtreeIds(folders: readonly RepositoryFolder[], id: number): Set<number> {
  const result = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const f of folders) {
      if (f.parent_id !== null && result.has(f.parent_id) && !result.has(f.id)) {
        result.add(f.id);
        grew = true;
      }
    }
  }
  return result;
}

/** The folder's siblings (itself included) in display order. */
export function siblingsOf(folders: readonly RepositoryFolder[], folder: RepositoryFolder): RepositoryFolder[] {
  return folders.filter((f) => f.parent_id === folder.parent_id).sort(byDisplayOrder);
}

/** Where a folder dropped on `target` goes: before it, after it (same parent) or into it (last). */
export type DropPlace = "before" | "after" | "into";

export interface MoveTarget {
  parent_id: number | null;
  position: number;
}

/**
 * The move a drop means, or null when it is no move (onto itself or below itself). Positions count
 * the new siblings without the moved folder, as the server does.
 */
export function dropMove(
  folders: readonly RepositoryFolder[],
  moved: RepositoryFolder,
  target: RepositoryFolder,
  place: DropPlace,
): MoveTarget | null {
  if (subtreeIds(folders, moved.id).has(target.id)) return null;
  if (place === "into") {
    const count = folders.filter((f) => f.parent_id === target.id && f.id !== moved.id).length;
    return { parent_id: target.id, position: count };
  }
  const siblings = siblingsOf(folders, target).filter((f) => f.id !== moved.id);
  const index = siblings.findIndex((f) => f.id === target.id);
  return { parent_id: target.parent_id, position: place === "before" ? index : index + 1 };
}

/** One step up or down among its siblings (keyboard reorder), or null at either end. */
export function stepMove(
  folders: readonly RepositoryFolder[],
  folder: RepositoryFolder,
  step: -1 | 1,
): MoveTarget | null {
  const siblings = siblingsOf(folders, folder);
  const index = siblings.findIndex((f) => f.id === folder.id);
  const next = index + step;
  if (next < 0 || next >= siblings.length) return null;
  return { parent_id: folder.parent_id, position: next };
}

/** Folders a folder may move into, as "A / B / C" paths in tree order (itself and its sub-folders left out). */
export function moveDestinations(
  folders: readonly RepositoryFolder[],
  moved: RepositoryFolder | null,
): { id: number; path: string }[] {
  const excluded = moved ? subtreeIds(folders, moved.id) : new Set<number>();
  const out: { id: number; path: string }[] = [];
  const walk = (nodes: readonly FolderNode[], prefix: string) => {
    for (const node of nodes) {
      if (excluded.has(node.folder.id)) continue;
      const path = prefix ? `${prefix} / ${node.folder.name}` : node.folder.name;
      out.push({ id: node.folder.id, path });
      walk(node.children, path);
    }
  };
  walk(buildTree(folders), "");
  return out;
}
