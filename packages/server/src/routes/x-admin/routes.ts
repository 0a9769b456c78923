import type { AddGroupMembers, CreateGroup, CreateUser, SetProjectAccess } from "@assay/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { InvalidDataError, invalidField, NotFoundError } from "../../errors.js";
import { AdminError, createToken, createUser } from "../../services/admin.js";
import { type AccessTarget, addGroupMembers, createGroup, setAccess } from "../../services/identity.js";
import { findGroup } from "../../storage/repositories/identity.js";
import { findProject } from "../../storage/repositories/projects.js";
import { presentCreatedUser } from "./presenter.js";
import { schemas } from "./schema.js";

/**
 * `/api/v1/x/…`: Assay's management extension, NOT part of Testmo's API
 * (Testmo has no endpoints to create users or groups). The same operations as
 * the `assay-server user|group|project access` commands, for scripts.
 * Administrators only; everyone else gets 403.
 */
export async function xAdminRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  function requireAdmin(request: FastifyRequest) {
    request.access.requireAdmin("manage users, groups and project access (/api/v1/x)");
  }

  /** Management errors are about the data sent: 422 with the reason. */
  async function managed<T>(work: () => Promise<T>, field?: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AdminError)
        throw field ? invalidField(field, error.message) : new InvalidDataError(error.message);
      throw error;
    }
  }

  app.post<{ Body: CreateUser }>("/x/users", { schema: schemas.createUser }, async (request, reply) => {
    requireAdmin(request);
    const body = request.body;
    const result = await db.transaction().execute(async (trx) => {
      const id = await managed(
        () =>
          createUser(trx, {
            email: body.email,
            name: body.name,
            role: body.role ?? "tester",
            isApi: body.is_api ?? false,
            createdBy: request.user.id,
          }),
        "email",
      );
      const token = body.token_name ? await createToken(trx, id, body.token_name) : null;
      return presentCreatedUser(id, token);
    });
    return reply.code(201).send(result);
  });

  app.post<{ Body: CreateGroup }>("/x/groups", { schema: schemas.createGroup }, async (request, reply) => {
    requireAdmin(request);
    const { name, members } = request.body;
    const id = await managed(() => createGroup(db, { name, members, createdBy: request.user.id }));
    return reply.code(201).send({ id });
  });

  app.post<{ Params: { group_id: number }; Body: AddGroupMembers }>(
    "/x/groups/:group_id/members",
    { schema: schemas.addMembers },
    async (request, reply) => {
      requireAdmin(request);
      const { group_id: groupId } = request.params;
      if (!(await findGroup(db, groupId))) throw new NotFoundError(`Group ${groupId} does not exist.`);
      await managed(() => addGroupMembers(db, groupId, request.body.user_ids), "user_ids");
      return reply.code(204).send();
    },
  );

  app.put<{ Params: { project_id: number }; Body: SetProjectAccess }>(
    "/x/projects/:project_id/access",
    { schema: schemas.setAccess },
    async (request, reply) => {
      requireAdmin(request);
      const { project_id: projectId } = request.params;
      if (!(await findProject(db, projectId))) throw new NotFoundError(`Project ${projectId} does not exist.`);
      const body = request.body;
      const targets: AccessTarget[] = [];
      if (body.user_id !== undefined) targets.push({ userId: body.user_id });
      if (body.group_id !== undefined) targets.push({ groupId: body.group_id });
      if (body.default === true) targets.push({ projectDefault: true });
      if (targets.length !== 1) {
        throw new InvalidDataError(
          "Name exactly one target: user_id, group_id, or default: true (the project's default for everyone).",
        );
      }
      await managed(() => setAccess(db, projectId, targets[0]!, body.role));
      return reply.code(204).send();
    },
  );
}
