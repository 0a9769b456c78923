import { type KeyboardEvent, type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";

/**
 * A button that shows a list of links or buttons (the disclosure pattern): Enter/Space/↓ open it, ↑/↓
 * move between its items, Escape closes it and returns to the button, Tab or a click outside closes it,
 * and choosing an item closes it. `children` are `<li>` items holding one link or button each.
 */
export function MenuButton({
  label,
  buttonLabel,
  children,
  align = "start",
  className,
}: {
  /** The visible content of the button. */
  label: ReactNode;
  /** Accessible name when `label` alone is not clear; it must contain the visible label (WCAG 2.5.3). */
  buttonLabel?: string;
  children: ReactNode;
  align?: "start" | "end";
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const focusFirst = useRef(false);

  const items = useCallback(
    () => Array.from(root.current?.querySelectorAll<HTMLElement>("[data-menu-list] a, [data-menu-list] button") ?? []),
    [],
  );

  useEffect(() => {
    if (!open) return;
    if (focusFirst.current) {
      items()[0]?.focus();
      focusFirst.current = false;
    }
    const onPointerDown = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open, items]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    if (!open) {
      focusFirst.current = true;
      setOpen(true);
      return;
    }
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLElement);
    const next = event.key === "ArrowDown" ? index + 1 : index - 1;
    list[(next + list.length) % list.length]?.focus();
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: keyboard handling for the button and its items
    <div
      ref={root}
      className={["menu", className].filter(Boolean).join(" ")}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (open && root.current && event.relatedTarget && !root.current.contains(event.relatedTarget as Node)) {
          setOpen(false);
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="menu__button"
        aria-expanded={open}
        aria-controls={listId}
        aria-label={buttonLabel}
        onClick={() => setOpen((value) => !value)}
      >
        {label}
        <span className="menu__caret" aria-hidden="true" />
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: closes after a click on an item (items handle keys) */}
      <ul
        id={listId}
        data-menu-list=""
        className={`menu__list menu__list--${align}`}
        hidden={!open}
        onClick={(event) => {
          if ((event.target as HTMLElement).closest("a, button")) setOpen(false);
        }}
      >
        {children}
      </ul>
    </div>
  );
}
