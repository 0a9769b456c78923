import {
  type CreateIssueIntegration,
  INTEGRATION_TYPES,
  type IssueConnectionInput,
  type UpdateIssueIntegration,
} from "@assay/api";
import type { Kysely } from "kysely";
import { type FieldErrors, InvalidDataError, NotFoundError } from "../errors.js";
import { takesRowLocks } from "../storage/row-locks.js";
import type { Database } from "../storage/schema.js";
import { createIssueIntegration } from "./repository.js";

type Db = Kysely<Database>;

/**
 * Administration of issue trackers (`/api/v1/x/issue-integrations`). Each
 * function runs inside the caller's transaction and collects every field
 * error before throwing, so a rejected request changes nothing.
 */

const TYPE_NAMES: Record<number, string> = { 1: "Custom", 2: "GitHub", 3: "GitLab", 4: "Jira" };

function addError(errors: FieldErrors, field: string, message: string) {
  errors[field] = [...(errors[field] ?? []), message];
}

function throwIfAny(errors: FieldErrors) {
  const fields = Object.keys(errors);
  if (fields.length === 0) return;
  throw new InvalidDataError(`The issue tracker was not saved: ${errors[fields[0]!]![0]}`, errors);
}

async function checkNameIsFree(db: Db, name: string, exceptId: number | null, errors: FieldErrors) {
  const wanted = name.trim().toLowerCase();
  const rows = await db.selectFrom("issue_integrations").select(["id", "name"]).execute();
  const clash = rows.find((r) => r.name.trim().toLowerCase() === wanted && r.id !== exceptId);
  if (clash) {
    addError(
      errors,
      "name",
      `An issue tracker named "${clash.name}" already exists (id ${clash.id}). Choose another name.`,
    );
  }
}

/** Flags external projects named twice in one connection (names compared without case). */
function checkProjectNames(
  names: readonly string[],
  taken: ReadonlySet<string>,
  fieldOf: (index: number) => string,
  errors: FieldErrors,
) {
  const seen = new Set(taken);
  for (const [index, name] of names.entries()) {
    const key = name.trim().toLowerCase();
    if (seen.has(key)) addError(errors, fieldOf(index), `The project "${name.trim()}" is already in this connection.`);
    seen.add(key);
  }
}

function checkConnections(
  type: number,
  connections: readonly IssueConnectionInput[],
  field: string,
  errors: FieldErrors,
) {
  if (type === INTEGRATION_TYPES.custom && connections.length > 0) {
    addError(
      errors,
      field,
      "Custom issue trackers have no connections: leave connections empty or choose another type.",
    );
    return;
  }
  for (const [i, connection] of connections.entries()) {
    checkProjectNames(
      connection.projects.map((p) => p.name),
      new Set(),
      (j) => `${field}.${i}.projects.${j}.name`,
      errors,
    );
  }
}

function trimmedConnections(connections: readonly IssueConnectionInput[]) {
  return connections.map((c) => ({
    name: c.name.trim(),
    projects: c.projects.map((p) => ({ name: p.name.trim(), key: p.key?.trim() || undefined })),
  }));
}

/** Creates a tracker with its connections and external projects; returns its id. */
export async function createTracker(trx: Db, input: CreateIssueIntegration): Promise<number> {
  const errors: FieldErrors = {};
  const connections = input.connections ?? [];
  await checkNameIsFree(trx, input.name, null, errors);
  if (input.type !== INTEGRATION_TYPES.custom && connections.length === 0) {
    addError(
      errors,
      "connections",
      `A ${TYPE_NAMES[input.type]} tracker needs at least one connection with a project, or issues cannot be linked to it.`,
    );
  }
  checkConnections(input.type, connections, "connections", errors);
  throwIfAny(errors);
  const created = await createIssueIntegration(trx, {
    type: input.type,
    name: input.name.trim(),
    is_active: input.is_active,
    connections: trimmedConnections(connections),
  });
  return created.id;
}

async function requireTracker(db: Db, id: number) {
  const row = await db.selectFrom("issue_integrations").select(["id", "type"]).where("id", "=", id).executeTakeFirst();
  if (!row)
    throw new NotFoundError(`Issue tracker ${id} does not exist. List them with GET /api/v1/issues/connections.`);
  return row;
}

/** Existing project names (lower case) of each of the tracker's connections. */
async function projectNamesByConnection(db: Db, integrationId: number) {
  const rows = await db
    .selectFrom("issue_connections as c")
    .leftJoin("issue_connection_projects as p", "p.connection_id", "c.id")
    .select(["c.id as connection_id", "p.name"])
    .where("c.integration_id", "=", integrationId)
    .execute();
  const names = new Map<number, Set<string>>();
  for (const row of rows) {
    const set = names.get(row.connection_id) ?? new Set<string>();
    if (row.name !== null) set.add(row.name.trim().toLowerCase());
    names.set(row.connection_id, set);
  }
  return names;
}

async function checkAddedProjects(
  db: Db,
  integrationId: number,
  added: NonNullable<UpdateIssueIntegration["add_projects"]>,
  errors: FieldErrors,
) {
  const names = await projectNamesByConnection(db, integrationId);
  for (const [i, project] of added.entries()) {
    const taken = names.get(project.connection_id);
    if (!taken) {
      addError(
        errors,
        `add_projects.${i}.connection_id`,
        `Connection ${project.connection_id} does not belong to issue tracker ${integrationId}. Use a connection_id from GET /api/v1/issues/connections.`,
      );
      continue;
    }
    checkProjectNames([project.name], taken, () => `add_projects.${i}.name`, errors);
    taken.add(project.name.trim().toLowerCase());
  }
}

async function insertConnections(trx: Db, integrationId: number, connections: readonly IssueConnectionInput[]) {
  const now = new Date().toISOString();
  for (const connection of trimmedConnections(connections)) {
    const c = await trx
      .insertInto("issue_connections")
      .values({ integration_id: integrationId, name: connection.name, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    await insertProjects(
      trx,
      connection.projects.map((p) => ({ connection_id: c.id, ...p })),
    );
  }
}

async function insertProjects(
  trx: Db,
  projects: readonly { connection_id: number; name: string; key?: string | null }[],
) {
  const now = new Date().toISOString();
  for (const p of projects) {
    await trx
      .insertInto("issue_connection_projects")
      .values({ connection_id: p.connection_id, name: p.name.trim(), key: p.key?.trim() || null, created_at: now })
      .execute();
  }
}

/** Renames, (de)activates, or adds connections and projects; never removes any, so linked issues stay valid. */
export async function updateTracker(trx: Db, id: number, changes: UpdateIssueIntegration): Promise<void> {
  const tracker = await requireTracker(trx, id);
  const errors: FieldErrors = {};
  if (changes.name !== undefined) await checkNameIsFree(trx, changes.name, id, errors);
  checkConnections(tracker.type, changes.add_connections ?? [], "add_connections", errors);
  if (changes.add_projects) await checkAddedProjects(trx, id, changes.add_projects, errors);
  throwIfAny(errors);
  await trx
    .updateTable("issue_integrations")
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
      ...(changes.is_active === undefined ? {} : { is_active: changes.is_active ? 1 : 0 }),
      updated_at: new Date().toISOString(),
    })
    .where("id", "=", id)
    .execute();
  await insertConnections(trx, id, changes.add_connections ?? []);
  await insertProjects(trx, changes.add_projects ?? []);
}

/**
 * Deletes a tracker that no issue refers to. Once an issue is linked, the
 * tracker must stay (cases, results and sessions show it): deactivate it.
 */
export async function deleteTracker(trx: Db, id: number): Promise<void> {
  await requireTracker(trx, id);
  if (takesRowLocks(trx)) {
    // Waits for any link to this tracker that is under way (it holds KEY SHARE), so the count below sees it.
    await trx.selectFrom("issue_integrations").select("id").where("id", "=", id).forUpdate().execute();
  }
  const used = await trx
    .selectFrom("issues")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("integration_id", "=", id)
    .executeTakeFirstOrThrow();
  if (Number(used.n) > 0) {
    const message = `${used.n} linked issue(s) use issue tracker ${id}, so it cannot be deleted. Deactivate it instead (PATCH with is_active: false).`;
    throw new InvalidDataError(message, { id: [message] });
  }
  const connectionIds = trx.selectFrom("issue_connections").select("id").where("integration_id", "=", id);
  await trx.deleteFrom("issue_connection_projects").where("connection_id", "in", connectionIds).execute();
  await trx.deleteFrom("issue_connections").where("integration_id", "=", id).execute();
  await trx.deleteFrom("issue_integrations").where("id", "=", id).execute();
}
