import type { CreateInvite, LinkPurpose } from "@assay/api";
import type { FastifyInstance } from "fastify";
import { invalidField } from "../../errors.js";
import { publicOrigin } from "../../plugins/auth.js";
import { AdminError, createUser } from "../../services/admin.js";
import { createLink } from "../../services/web-auth.js";
import { isUniqueViolation } from "../../storage/errors.js";
import { findUserByEmailFolded } from "../../storage/repositories/web-auth.js";
import { presentInvite } from "./presenter.js";
import { schemas } from "./schema.js";

/**
 * `POST /api/v1/x/invites` (administrators): a one-time link for a person to
 * set their password. A new e-mail creates the user with the given name and
 * role; an existing user keeps name and role and gets a new invite (no
 * password yet) or a password-reset link (has one). Either way the user's
 * earlier unused links stop working.
 */
export async function xInviteRoutes(app: FastifyInstance) {
  const { db } = app.ctx.storage;

  app.post<{ Body: CreateInvite }>("/x/invites", { schema: schemas.create }, async (request, reply) => {
    request.access.requireAdmin("invite users");
    const { email, name, role } = request.body;
    const existing = await findUserByEmailFolded(db, email.trim());
    if (existing && !existing.is_active) {
      throw invalidField("email", `The user with the e-mail ${existing.email} is deactivated: reactivate them first.`);
    }
    const invite = await db
      .transaction()
      .execute(async (trx) => {
        let userId: number;
        let purpose: LinkPurpose;
        if (existing) {
          userId = existing.id;
          purpose = existing.password_hash ? "password" : "invite";
        } else {
          userId = await createUser(trx, {
            email: email.trim(),
            name,
            role: role ?? "tester",
            createdBy: request.user.id,
          });
          purpose = "invite";
        }
        const link = await createLink(trx, userId, purpose, request.user.id);
        return { userId, purpose, ...link };
      })
      .catch((error: unknown) => {
        // Two invites of one new e-mail at once: the second finds it taken.
        if (error instanceof AdminError) throw invalidField("email", error.message);
        if (isUniqueViolation(error)) {
          throw invalidField("email", `A user with the e-mail ${email} was just created. Send the invite again.`);
        }
        throw error;
      });
    const url = `${publicOrigin(app.ctx.config, request)}${invite.path}`;
    return reply.code(201).send(presentInvite(invite.userId, url, invite.expiresAt, invite.purpose));
  });
}
