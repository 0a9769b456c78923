import type { ReactNode } from "react";
import { EmptyState } from "../ui/EmptyState";
import { PageHeader } from "../ui/PageHeader";

/** Stands in for a page that is being built: its title and what it will show. */
export function PlaceholderPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <PageHeader title={title} />
      <EmptyState title="Coming soon">{children}</EmptyState>
    </>
  );
}
