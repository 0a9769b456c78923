import { Link } from "@tanstack/react-router";

/** A test's name linking to its page. */
export function TestLink({ test }: { test: { id: number; name: string } }) {
  return (
    <Link to="/automation/cases/$caseId" params={{ caseId: test.id }} className="test-link">
      {test.name}
    </Link>
  );
}

/** A test's folder over its source's name, for the test lists' folder column. */
export function FolderAndSource({
  test,
  sources,
}: {
  test: { folder: string; source_id: number };
  sources: ReadonlyMap<number, string>;
}) {
  return (
    <>
      <span className="cell-note-main">{test.folder || "—"}</span>
      <span className="cell-note">{sources.get(test.source_id) ?? `Source ${test.source_id}`}</span>
    </>
  );
}
