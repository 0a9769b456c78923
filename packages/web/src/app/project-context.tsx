import { useParams } from "@tanstack/react-router";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

/**
 * Which project the page belongs to, for the project switcher and the left navigation: the `$projectId`
 * of the URL, or the project a page declares with `useDeclareProject` (a run, a test or a failure group
 * page knows its project only after loading it).
 */
const DeclaredProject = createContext<{ declared: number | null; declare: (id: number | null) => void }>({
  declared: null,
  declare: () => {},
});

export function ProjectContextProvider({ children }: { children: ReactNode }) {
  const [declared, declare] = useState<number | null>(null);
  return <DeclaredProject.Provider value={{ declared, declare }}>{children}</DeclaredProject.Provider>;
}

/** Declares the current page's project (while the page is shown): `useDeclareProject(run?.project_id)`. */
export function useDeclareProject(projectId: number | null | undefined): void {
  const { declare } = useContext(DeclaredProject);
  useEffect(() => {
    if (!projectId) return;
    declare(projectId);
    return () => declare(null);
  }, [projectId, declare]);
}

export function useCurrentProjectId(): number | null {
  const params = useParams({ strict: false });
  const { declared } = useContext(DeclaredProject);
  const fromUrl = (params as { projectId?: unknown }).projectId;
  return typeof fromUrl === "number" ? fromUrl : declared;
}
