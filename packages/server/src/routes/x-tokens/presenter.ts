import type { UserApiToken } from "@assay/api";

interface TokenWithUserRow {
  id: number;
  user_id: number;
  user_name: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

/** A token as administrators see it: whose it is and when it was used, never its secret or digest. */
export function presentUserToken(row: TokenWithUserRow): UserApiToken {
  return {
    id: row.id,
    user_id: row.user_id,
    user_name: row.user_name,
    name: row.name,
    created_at: row.created_at,
    last_used_at: row.last_used_at,
  };
}
