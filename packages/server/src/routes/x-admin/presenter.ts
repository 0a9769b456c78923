import type { CreatedUser } from "@assay/api";

/** `{id}` of a created user, with its new API token when one was asked for (shown only this once). */
export function presentCreatedUser(id: number, token: string | null): CreatedUser {
  return token === null ? { id } : { id, token };
}
