import type { Kysely } from "kysely";
import type { AppContext } from "../context.js";
import type { Database } from "../storage/schema.js";

type Db = Kysely<Database>;
type NamedTable = "users" | "automation_sources" | "configs" | "milestones" | "groups" | "roles";

/** `{id, name}` items for the ids referenced by a result, e.g. `expands.users`. */
export async function namedExpand(db: Db, table: NamedTable, ids: Iterable<number | null | undefined>) {
  const unique = [...new Set([...ids].filter((id): id is number => typeof id === "number" && id > 0))];
  if (unique.length === 0) return [];
  return db.selectFrom(table).select(["id", "name"]).where("id", "in", unique).orderBy("id").execute() as Promise<
    { id: number; name: string }[]
  >;
}

/** Every status, as StatusExpand items. */
export function statusesExpand(ctx: AppContext) {
  return ctx.statuses.all.map((s) => ({ ...s }));
}

/** Collects ids from rows for each requested expand, then loads them in one query per name. */
export async function buildExpands<T>(
  requested: ReadonlySet<string>,
  rows: readonly T[],
  loaders: Record<string, (rows: readonly T[]) => Promise<unknown[]> | unknown[]>,
): Promise<Record<string, unknown[]>> {
  const expands: Record<string, unknown[]> = {};
  for (const name of requested) {
    const loader = loaders[name];
    if (loader) expands[name] = await loader(rows);
  }
  return expands;
}
