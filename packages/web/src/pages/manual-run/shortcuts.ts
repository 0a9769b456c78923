import { useEffect, useRef } from "react";

/**
 * The execute page's status keys; each is also shown on its button. The ids are Testmo's
 * (MANUAL_STATUS_IDS in @assay/api, whose runtime stays out of the bundle).
 */
export const STATUS_KEYS: readonly { key: string; statusId: number; label: string }[] = [
  { key: "p", statusId: 2, label: "Passed" },
  { key: "f", statusId: 3, label: "Failed" },
  { key: "b", statusId: 5, label: "Blocked" },
  { key: "r", statusId: 4, label: "Retest" },
  { key: "s", statusId: 6, label: "Skipped" },
];

export interface ShortcutHandlers {
  next: () => void;
  previous: () => void;
  /** null when results cannot be recorded (read-only user, closed run) */
  status: ((statusId: number) => void) | null;
  comment: () => void;
  timer: () => void;
}

/** Input types whose keys are text (or move within the value); unknown types read as "text". */
const TEXT_ENTRY_TYPES = new Set([
  "text",
  "search",
  "url",
  "email",
  "number",
  "password",
  "tel",
  "date",
  "datetime-local",
  "month",
  "week",
  "time",
]);

/**
 * Whether a key pressed in `target` belongs to it: text fields, selects and editable content keep
 * their keys; checkboxes, radios, buttons and links do not, so ticking "Only my tests" leaves the
 * run's keys working.
 */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && TEXT_ENTRY_TYPES.has(target.type);
}

/**
 * j/↓ next test, k/↑ previous, p f b r s record a status, c focuses the comment, t pauses the timer.
 * Keys typed into a field are text; Escape leaves the field so the keys work again.
 */
export function useRunShortcuts(handlers: ShortcutHandlers): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) {
        if (event.key === "Escape") (event.target as HTMLElement).blur();
        return;
      }
      if (document.querySelector("dialog[open]")) return;
      const h = current.current;
      const status = STATUS_KEYS.find((s) => s.key === event.key.toLowerCase() && !event.shiftKey);
      let handled = true;
      if (event.key === "j" || event.key === "ArrowDown") h.next();
      else if (event.key === "k" || event.key === "ArrowUp") h.previous();
      else if (event.key === "c") h.comment();
      else if (event.key === "t") h.timer();
      else if (status && h.status) h.status(status.statusId);
      else handled = false;
      if (handled) event.preventDefault();
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
