import type { IssueIntegration } from "@assay/api";
import type { Kysely } from "kysely";
import type { Database } from "../../storage/schema.js";

/** The tracker with its connections and projects, read inside the write's transaction. */
export async function presentTracker(
  db: Kysely<Database>,
  id: number,
): Promise<{ result: IssueIntegration; expands: Record<string, never> }> {
  const tracker = await db.selectFrom("issue_integrations").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom("issue_connections as c")
    .leftJoin("issue_connection_projects as p", "p.connection_id", "c.id")
    .select(["c.id as connection_id", "c.name as connection_name", "p.id as project_id", "p.name", "p.key"])
    .where("c.integration_id", "=", id)
    .orderBy("c.id")
    .orderBy("p.id")
    .execute();
  const connections = new Map<number, IssueIntegration["connections"][number]>();
  for (const row of rows) {
    const connection = connections.get(row.connection_id) ?? {
      id: row.connection_id,
      name: row.connection_name,
      projects: [],
    };
    if (row.project_id !== null) connection.projects.push({ id: row.project_id, name: row.name!, key: row.key });
    connections.set(row.connection_id, connection);
  }
  return {
    result: {
      id: tracker.id,
      type: tracker.type,
      name: tracker.name,
      is_active: tracker.is_active === 1,
      created_at: tracker.created_at,
      updated_at: tracker.updated_at,
      connections: [...connections.values()],
    },
    expands: {},
  };
}
