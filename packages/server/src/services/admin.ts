import type { Kysely } from "kysely";
import { generateToken, hashToken } from "../lib/tokens.js";
import { isUniqueViolation } from "../storage/errors.js";
import type { Database } from "../storage/schema.js";
import { ROLE_IDS } from "./permissions.js";

type Db = Kysely<Database>;

export const ROLE_NAMES: Record<string, number> = {
  administrator: ROLE_IDS.administrator,
  "project-manager": ROLE_IDS.projectManager,
  tester: ROLE_IDS.tester,
  "read-only": ROLE_IDS.readOnly,
};

export class AdminError extends Error {}

export async function createUser(
  db: Db,
  input: { email: string; name: string; role: string; isApi?: boolean; createdBy?: number | null },
): Promise<number> {
  const roleId = ROLE_NAMES[input.role];
  if (!roleId) {
    throw new AdminError(`Unknown role "${input.role}". Use one of: ${Object.keys(ROLE_NAMES).join(", ")}.`);
  }
  const existing = await db.selectFrom("users").select("id").where("email", "=", input.email).executeTakeFirst();
  if (existing) throw new AdminError(`A user with e-mail ${input.email} already exists (id ${existing.id}).`);
  const row = await db
    .insertInto("users")
    .values({
      name: input.name,
      email: input.email,
      type: 1,
      role_id: roleId,
      timezone: "UTC",
      date_format: "Y-m-d",
      time_format: "H:i",
      notifications: 1,
      tfa_enabled: 0,
      is_active: 1,
      is_forgotten: 0,
      is_api: input.isApi ? 1 : 0,
      created_at: new Date().toISOString(),
      created_by: input.createdBy ?? null,
      updated_at: null,
      updated_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findUserIdByEmail(db: Db, email: string): Promise<number> {
  const user = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (!user) throw new AdminError(`No user has the e-mail ${email}. Create one with: assay-server user create`);
  return user.id;
}

/** Stores the digest of a token (a given one, or a new random one) and returns the clear token once. */
export async function createToken(db: Db, userId: number, name: string, token = generateToken()): Promise<string> {
  await db
    .insertInto("api_tokens")
    .values({
      user_id: userId,
      name,
      token_hash: hashToken(token),
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return token;
}

export async function revokeToken(db: Db, tokenId: number): Promise<void> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: new Date().toISOString() })
    .where("id", "=", tokenId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AdminError(`No active token has the id ${tokenId}.`);
}

export async function createProject(db: Db, input: { name: string; note?: string | null; createdBy?: number | null }) {
  const row = await db
    .insertInto("projects")
    .values({
      name: input.name,
      note: input.note ?? null,
      is_completed: 0,
      completed_at: null,
      created_at: new Date().toISOString(),
      created_by: input.createdBy ?? null,
      updated_at: null,
      updated_by: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Grants (a role name) or denies (null) a user access to one project, replacing an earlier override. */
export async function setProjectAccess(db: Db, projectId: number, userId: number, role: string | null) {
  const roleId = role === null ? null : ROLE_NAMES[role];
  if (roleId === undefined) {
    throw new AdminError(`Unknown role "${role}". Use one of: ${Object.keys(ROLE_NAMES).join(", ")}, or none.`);
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("project_access").where("project_id", "=", projectId).where("user_id", "=", userId).execute();
    await trx
      .insertInto("project_access")
      .values({ project_id: projectId, user_id: userId, group_id: null, role_id: roleId })
      .execute();
  });
}

export interface BootstrapResult {
  /** the administrator's new token, when one was generated (to be shown once) */
  generatedToken: string | null;
  /** the administrator's id when this call created them (a first start), else null */
  createdAdminId: number | null;
}

/**
 * First start on an empty database: an administrator, a first project and an
 * API token. ASSAY_ADMIN_TOKEN, when set, is (also) the administrator's token.
 */
export async function bootstrap(
  db: Db,
  options: { adminEmail: string; adminToken: string | null },
): Promise<BootstrapResult> {
  const anyUser = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  let generatedToken: string | null = null;
  let createdAdminId: number | null = null;
  if (!anyUser) {
    try {
      createdAdminId = await db.transaction().execute(async (trx) => {
        const adminId = await createUser(trx, {
          email: options.adminEmail,
          name: "Administrator",
          role: "administrator",
        });
        await createProject(trx, { name: "First project", createdBy: adminId });
        if (options.adminToken) await createToken(trx, adminId, "ASSAY_ADMIN_TOKEN", options.adminToken);
        else generatedToken = await createToken(trx, adminId, "First token");
        return adminId;
      });
    } catch (error) {
      // Another instance bootstrapped the same database at the same moment.
      if (!(error instanceof AdminError) && !isUniqueViolation(error)) throw error;
      generatedToken = null;
      createdAdminId = null;
    }
  }
  if (options.adminToken) await ensureAdminToken(db, options.adminToken);
  return { generatedToken, createdAdminId };
}

async function ensureAdminToken(db: Db, token: string): Promise<void> {
  const known = await db
    .selectFrom("api_tokens")
    .select("id")
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (known) return;
  const admin = await db
    .selectFrom("users")
    .select("id")
    .where("role_id", "=", ROLE_IDS.administrator)
    .orderBy("id")
    .executeTakeFirst();
  if (admin) await createToken(db, admin.id, "ASSAY_ADMIN_TOKEN", token);
}
