import { useEffect, useRef, useState } from "react";

/**
 * Text typed into a filter that lives in the URL: the input shows what is typed at once, `commit` gets
 * it a moment after typing stops (not on every keystroke), and a change of `value` from elsewhere (back
 * button, a link) replaces what the input shows.
 */
export function useDebouncedText(
  value: string | undefined,
  commit: (text: string | undefined) => void,
  delay = 300,
): [string, (text: string) => void] {
  const [text, setText] = useState(value ?? "");
  const sent = useRef(value ?? "");
  const latest = useRef(commit);
  latest.current = commit;

  useEffect(() => {
    if ((value ?? "") !== sent.current) {
      sent.current = value ?? "";
      setText(sent.current);
    }
  }, [value]);

  useEffect(() => {
    if (text === sent.current) return;
    const timer = setTimeout(() => {
      sent.current = text;
      latest.current(text.trim() === "" ? undefined : text);
    }, delay);
    return () => clearTimeout(timer);
  }, [text, delay]);

  return [text, setText];
}
