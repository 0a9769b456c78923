import { Link } from "@tanstack/react-router";
import { FailureMessage } from "./FailureMessage";

/** A failure group as a table cell: its type over its normalised message, linking to the group's page. */
export function FailureGroupLink({ group }: { group: { id: number; type: string | null; message: string } }) {
  return (
    <Link to="/failure-groups/$groupId" params={{ groupId: group.id }} className="group-link">
      <span className="group-link__type">{group.type ?? "No exception type"}</span>
      <FailureMessage message={group.message} />
    </Link>
  );
}
