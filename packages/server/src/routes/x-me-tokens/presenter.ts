import type { ApiToken, CreatedApiToken } from "@assay/api";

interface TokenRow {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export function presentToken(row: TokenRow): ApiToken {
  return { id: row.id, name: row.name, created_at: row.created_at, last_used_at: row.last_used_at };
}

/** The only answer that ever shows the token itself. */
export function presentCreatedToken(row: Omit<TokenRow, "last_used_at">, token: string): { result: CreatedApiToken } {
  return { result: { id: row.id, name: row.name, created_at: row.created_at, token } };
}
