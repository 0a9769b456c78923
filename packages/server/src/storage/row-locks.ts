import { PostgresAdapter } from "kysely";

/**
 * Whether the database behind `db` (a Kysely instance or transaction) takes row locks: PostgreSQL does, and
 * needs them where two transactions could each check a row and then act on what the other is changing. SQLite
 * has one writer at a time (so no such race) and no FOR UPDATE / FOR KEY SHARE syntax.
 */
export function takesRowLocks(db: { getExecutor(): { readonly adapter: unknown } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
