import type { RepositoryFolder } from "@assay/api";
import { type DragEvent, type FormEvent, type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import {
  ancestorIds,
  buildTree,
  type DropPlace,
  dropMove,
  type MoveTarget,
  stepMove,
  visibleNodes,
} from "./folder-tree";

export interface FolderTreeProps {
  folders: RepositoryFolder[];
  selectedId: number | null;
  /** a folder just moved: its new parents open and it gets the focus back */
  reveal: { id: number } | null;
  canEdit: boolean;
  onSelect: (id: number) => void;
  onRename: (folder: RepositoryFolder, name: string) => Promise<boolean>;
  onMove: (folder: RepositoryFolder, target: MoveTarget) => void;
  onMoveDialog: (folder: RepositoryFolder) => void;
  onDelete: (folder: RepositoryFolder) => void;
}

/** Where on a row the pointer is: the top quarter drops before, the bottom quarter after, the middle into. */
function placeAt(event: DragEvent<HTMLElement>): DropPlace {
  const rect = event.currentTarget.getBoundingClientRect();
  const y = (event.clientY - rect.top) / Math.max(rect.height, 1);
  return y < 0.25 ? "before" : y > 0.75 ? "after" : "into";
}

/**
 * The folder tree (WAI-ARIA tree view): ↑/↓ move, → opens or enters, ← closes or goes up, Home/End,
 * Enter shows the folder's cases, F2 renames, Alt+↑/↓ reorders among siblings, M opens "Move to…",
 * Delete asks to delete. Folders can also be dragged: onto a folder (into it) or above/below it.
 */
export function FolderTree(props: FolderTreeProps) {
  const { folders, selectedId, canEdit, reveal } = props;
  const tree = useMemo(() => buildTree(folders), [folders]);
  const [expanded, setExpanded] = useState<Set<number>>(
    () => new Set(selectedId ? ancestorIds(folders, selectedId) : []),
  );
  const [focusedId, setFocusedId] = useState<number | null>(selectedId);
  const [renamingId, setRenamingId] = useState<number | null>(null);
  const [dragId, setDragId] = useState<number | null>(null);
  const [drop, setDrop] = useState<{ id: number; place: DropPlace } | null>(null);
  const items = useRef(new Map<number, HTMLDivElement>());
  const root = useRef<HTMLDivElement>(null);
  const nodes = visibleNodes(tree, expanded);
  const byId = useMemo(() => new Map(folders.map((f) => [f.id, f])), [folders]);
  const tabStop = nodes.some((n) => n.folder.id === focusedId) ? focusedId : (nodes[0]?.folder.id ?? null);

  // The selected folder's ancestors open (a deep link shows where it is).
  useEffect(() => {
    if (selectedId === null) return;
    const up = ancestorIds(folders, selectedId);
    if (up.length > 0)
      setExpanded((current) => (up.every((id) => current.has(id)) ? current : new Set([...current, ...up])));
  }, [folders, selectedId]);

  // A moved folder stays in sight and keeps the keyboard focus (the move re-renders it elsewhere).
  useEffect(() => {
    if (!reveal) return;
    const up = ancestorIds(folders, reveal.id);
    setExpanded((current) => (up.every((id) => current.has(id)) ? current : new Set([...current, ...up])));
    setFocusedId(reveal.id);
    requestAnimationFrame(() => {
      const active = document.activeElement;
      if (!active || active === document.body || root.current?.contains(active)) items.current.get(reveal.id)?.focus();
    });
  }, [folders, reveal]);

  // Keyboard focus follows focusedId while the focus is in the tree.
  useEffect(() => {
    if (focusedId === null || !root.current?.contains(document.activeElement)) return;
    items.current.get(focusedId)?.focus();
  }, [focusedId]);

  function setOpen(id: number, open: boolean) {
    setExpanded((current) => {
      const next = new Set(current);
      if (open) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>, folder: RepositoryFolder, hasChildren: boolean) {
    const index = nodes.findIndex((n) => n.folder.id === folder.id);
    const focus = (id: number | undefined) => id !== undefined && setFocusedId(id);
    const isOpen = expanded.has(folder.id);
    const handled = () => {
      event.preventDefault();
      event.stopPropagation();
    };
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      handled();
      const target = canEdit ? stepMove(folders, folder, event.key === "ArrowUp" ? -1 : 1) : null;
      if (target) props.onMove(folder, target);
      return;
    }
    switch (event.key) {
      case "ArrowDown":
        handled();
        return focus(nodes[index + 1]?.folder.id);
      case "ArrowUp":
        handled();
        return focus(nodes[index - 1]?.folder.id);
      case "Home":
        handled();
        return focus(nodes[0]?.folder.id);
      case "End":
        handled();
        return focus(nodes.at(-1)?.folder.id);
      case "ArrowRight":
        handled();
        if (!hasChildren) return;
        if (!isOpen) return setOpen(folder.id, true);
        return focus(nodes[index + 1]?.folder.id);
      case "ArrowLeft":
        handled();
        if (isOpen && hasChildren) return setOpen(folder.id, false);
        return focus(folder.parent_id ?? undefined);
      case "Enter":
      case " ":
        handled();
        return props.onSelect(folder.id);
      case "F2":
        if (!canEdit) return;
        handled();
        return setRenamingId(folder.id);
      case "Delete":
        if (!canEdit) return;
        handled();
        return props.onDelete(folder);
      case "m":
      case "M":
        if (!canEdit || event.ctrlKey || event.metaKey) return;
        handled();
        return props.onMoveDialog(folder);
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>, target: RepositoryFolder) {
    event.preventDefault();
    const moved = dragId === null ? undefined : byId.get(dragId);
    setDrop(null);
    setDragId(null);
    if (!moved || moved.id === target.id) return;
    const place = placeAt(event);
    const move = dropMove(folders, moved, target, place);
    if (!move) return;
    if (place === "into") setOpen(target.id, true);
    props.onMove(moved, move);
  }

  return (
    <div ref={root} className="folder-tree" role="tree" aria-label="Folders">
      {nodes.map(({ folder, level, children }) => {
        const hasChildren = children.length > 0;
        const siblings = folders.filter((f) => f.parent_id === folder.parent_id);
        if (renamingId === folder.id) {
          return (
            <RenameRow
              key={folder.id}
              folder={folder}
              level={level}
              onDone={async (name) => {
                if (name !== null && name !== folder.name && !(await props.onRename(folder, name))) return;
                setRenamingId(null);
                setFocusedId(folder.id);
                requestAnimationFrame(() => items.current.get(folder.id)?.focus());
              }}
            />
          );
        }
        const dropClass = drop?.id === folder.id ? ` folder-tree__item--drop-${drop.place}` : "";
        return (
          <div
            key={folder.id}
            ref={(element) => {
              if (element) items.current.set(folder.id, element);
              else items.current.delete(folder.id);
            }}
            role="treeitem"
            aria-level={level}
            aria-setsize={siblings.length}
            aria-posinset={siblings.findIndex((f) => f.id === folder.id) + 1}
            aria-expanded={hasChildren ? expanded.has(folder.id) : undefined}
            aria-selected={folder.id === selectedId}
            tabIndex={folder.id === tabStop ? 0 : -1}
            className={`folder-tree__item${folder.id === selectedId ? " folder-tree__item--selected" : ""}${dropClass}`}
            style={{ paddingInlineStart: `calc(${level - 1} * var(--space-4) + var(--space-2))` }}
            draggable={canEdit}
            data-folder-id={folder.id}
            onClick={() => {
              setFocusedId(folder.id);
              props.onSelect(folder.id);
            }}
            onKeyDown={(event) => onKeyDown(event, folder, hasChildren)}
            onFocus={(event) => {
              if (event.target === event.currentTarget) setFocusedId(folder.id);
            }}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = "move";
              event.dataTransfer.setData("text/plain", String(folder.id));
              setDragId(folder.id);
            }}
            onDragOver={(event) => {
              if (dragId === null || dragId === folder.id) return;
              event.preventDefault();
              const place = placeAt(event);
              if (drop?.id !== folder.id || drop.place !== place) setDrop({ id: folder.id, place });
            }}
            onDragLeave={() => setDrop((current) => (current?.id === folder.id ? null : current))}
            onDragEnd={() => {
              setDragId(null);
              setDrop(null);
            }}
            onDrop={(event) => onDrop(event, folder)}
          >
            <span
              className={`folder-tree__toggle${hasChildren ? "" : " folder-tree__toggle--leaf"}`}
              aria-hidden="true"
              onClick={(event) => {
                if (!hasChildren) return;
                event.stopPropagation();
                setOpen(folder.id, !expanded.has(folder.id));
              }}
            >
              {hasChildren ? (expanded.has(folder.id) ? "▾" : "▸") : ""}
            </span>
            <span className="folder-tree__name">{folder.name}</span>
          </div>
        );
      })}
    </div>
  );
}

/** The inline rename field (F2): Enter saves, Escape cancels; a failed rename keeps the text. */
function RenameRow({
  folder,
  level,
  onDone,
}: {
  folder: RepositoryFolder;
  level: number;
  onDone: (name: string | null) => Promise<void>;
}) {
  const [name, setName] = useState(folder.name);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) void onDone(name.trim());
  }
  return (
    <div
      role="none"
      className="folder-tree__rename"
      style={{ paddingInlineStart: `calc(${level - 1} * var(--space-4))` }}
    >
      <form onSubmit={onSubmit}>
        <input
          ref={input}
          className="field__input"
          aria-label={`New name of the folder “${folder.name}”`}
          value={name}
          maxLength={255}
          required
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              void onDone(null);
            }
          }}
        />
      </form>
    </div>
  );
}
