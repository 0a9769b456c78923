import type { OneTimeLink, WebSessionResult, WebUser } from "@assay/api";
import { ROLE_NAMES } from "../../services/admin.js";
import { isAdmin } from "../../services/permissions.js";
import type { AuthUser } from "../../storage/repositories/users.js";

const ROLE_KEY_BY_ID = new Map(Object.entries(ROLE_NAMES).map(([key, id]) => [id, key]));

/** `role` is the global role's key (`administrator`, `project-manager`, `tester`, `read-only`). */
export function presentWebUser(user: AuthUser & { role_name?: string }): WebUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    role: ROLE_KEY_BY_ID.get(user.role_id) ?? user.role_name ?? String(user.role_id),
    is_admin: isAdmin(user.role_permissions),
  };
}

export function presentWebSession(user: AuthUser & { role_name?: string }, csrfToken: string): WebSessionResult {
  return { result: { user: presentWebUser(user), csrf_token: csrfToken } };
}

export function presentLink(link: Pick<OneTimeLink, "email" | "name" | "purpose" | "expires_at">): {
  result: OneTimeLink;
} {
  return { result: { email: link.email, name: link.name, purpose: link.purpose, expires_at: link.expires_at } };
}
