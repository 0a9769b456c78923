import { useEffect, useRef, useState } from "react";
import { Button } from "./Button";

/**
 * Copies `text` to the clipboard and says so (announced to screen readers). Where the clipboard is not
 * available (plain http on another host), it selects the text of `selectTarget` so Ctrl+C copies it.
 */
export function CopyButton({
  text,
  label = "Copy",
  selectTarget,
}: {
  text: string;
  label?: string;
  selectTarget?: () => HTMLInputElement | HTMLTextAreaElement | HTMLElement | null;
}) {
  const [state, setState] = useState<"idle" | "copied" | "manual">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    clearTimeout(timer.current);
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      selectContents(selectTarget?.() ?? null);
      setState("manual");
    }
    timer.current = setTimeout(() => setState("idle"), 4000);
  }

  return (
    <span className="copy-button">
      <Button onClick={copy}>{label}</Button>
      <span className="copy-button__status" role="status">
        {state === "copied" ? "Copied." : state === "manual" ? "Selected: press Ctrl+C (⌘C) to copy." : ""}
      </span>
    </span>
  );
}

function selectContents(element: HTMLElement | null) {
  if (!element) return;
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    element.focus();
    element.select();
    return;
  }
  const selection = window.getSelection();
  const range = document.createRange();
  range.selectNodeContents(element);
  selection?.removeAllRanges();
  selection?.addRange(range);
}
