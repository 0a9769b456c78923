import { type RawBuilder, sql } from "kysely";

/**
 * LIKE patterns built from user input, the same on SQLite and PostgreSQL: `%` and
 * `_` in the input match themselves, and matching ignores case on both (SQLite's
 * LIKE ignores ASCII case, PostgreSQL's does not, so both sides are lowered). The
 * escape character is `!`, not a backslash, whose meaning in string literals
 * differs between the two databases.
 */
export function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/** `column` contains `text`, ignoring case. */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${`%${escapeLike(text.toLowerCase())}%`} escape '!'`;
}
