import type { PageEnvelope } from "@assay/api";
import "./insights.css";
import { Button } from "./Button";
import { formatCount } from "./format";

/**
 * Previous/next for a paged list, with "Page 2 of 5 · 123 tests". The page lives in the URL: the caller's
 * `onPage` navigates.
 */
export function Pager({
  envelope,
  noun,
  onPage,
  label = "Pages",
}: {
  envelope: Pick<PageEnvelope<unknown>, "page" | "last_page" | "prev_page" | "next_page" | "total">;
  /** What is counted, plural ("tests"). */
  noun: string;
  onPage: (page: number) => void;
  label?: string;
}) {
  const { page, last_page: last, prev_page: prev, next_page: next, total } = envelope;
  if (total === 0) return null;
  return (
    <nav className="pager" aria-label={label}>
      <Button disabled={prev === null} onClick={() => prev !== null && onPage(prev)}>
        Previous
      </Button>
      <span className="pager__status">
        Page {formatCount(page ?? 1)} of {formatCount(last ?? 1)} · {formatCount(total)} {noun}
      </span>
      <Button disabled={next === null} onClick={() => next !== null && onPage(next)}>
        Next
      </Button>
    </nav>
  );
}
