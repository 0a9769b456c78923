import type { CreateProject, Project, UpdateProject } from "@assay/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { projectsQuery } from "../../api/projects";

/** Project writes (`/x/projects…`); the shared projects list (also the top bar's switcher) is read again. */
function useProjectMutation<A>(mutationFn: (args: A) => Promise<Project>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (project) => {
      queryClient.setQueryData(["projects", project.id], project);
      return queryClient.invalidateQueries({ queryKey: projectsQuery.queryKey });
    },
  });
}

export function useCreateProject() {
  return useProjectMutation(
    async (body: CreateProject) => (await api.post<{ result: Project }>("/x/projects", body)).result,
  );
}

export function useUpdateProject() {
  return useProjectMutation(
    async ({ id, changes }: { id: number; changes: UpdateProject }) =>
      (await api.patch<{ result: Project }>(`/x/projects/${id}`, changes)).result,
  );
}
