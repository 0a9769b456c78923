import type { ProjectUser } from "@assay/api";

/** Testmo's ProjectUser: only `{id, name}`. */
export function presentProjectUser(user: { id: number; name: string }): ProjectUser {
  return { id: user.id, name: user.name };
}
