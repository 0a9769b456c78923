import type { FastifyInstance } from "fastify";
import { csvIds, pageEnvelope, pageRequest, queryBoolean } from "../../lib/query.js";
import { listConnections } from "../../services/repository.js";
import { presentConnection } from "./presenter.js";
import { type ConnectionListQuery, schemas } from "./schema.js";

/**
 * `GET /issues/connections`. Decisions (spec Open point 20): `sort` is
 * `integrations:created_at` (default) or `integrations:name`, `order` defaults
 * to `desc` like every list; rows of one integration stay in connection and
 * project order. Integrations are instance-wide, so every authenticated user
 * may list them. An empty result carries a `message`.
 */
export async function issueConnectionRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  app.get<{ Querystring: ConnectionListQuery }>("/issues/connections", { schema: schemas.list }, async (request) => {
    const q = request.query;
    const page = pageRequest(q);
    const { total, rows } = await listConnections(
      db,
      {
        integrationIds: csvIds(q.integration_id, "integration_id"),
        integrationName: q.integration_name,
        connectionIds: csvIds(q.connection_id, "connection_id"),
        connectionName: q.connection_name,
        connectionProjectIds: csvIds(q.connection_project_id, "connection_project_id"),
        connectionProjectName: q.connection_project_name,
        integrationTypes: csvIds(q.integration_type, "integration_type"),
        isActive: queryBoolean(q.is_active),
      },
      {
        offset: page.offset,
        limit: page.perPage,
        sort: (q.sort?.split(":")[1] ?? "created_at") as "created_at" | "name",
        order: q.order ?? "desc",
      },
    );
    const envelope = pageEnvelope(page, total, rows.map(presentConnection));
    if (rows.length > 0) return envelope;
    return {
      ...envelope,
      message:
        total === 0
          ? "No issue integration matches. Issue integrations are set up by an administrator."
          : "This page is past the last page of issue connections.",
    };
  });
}
