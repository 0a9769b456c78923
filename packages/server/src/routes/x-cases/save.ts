import { type SaveCase, STEPS_FIELD } from "@assay/api";
import type { Kysely } from "kysely";
import { type FieldErrors, InvalidDataError } from "../../errors.js";
import { type CaseRow, updateCases } from "../../services/repository.js";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database>;

const CUSTOM_FIELD = /^custom_[A-Za-z0-9_]{1,64}$/;

/** A stamp later than `previous`, so two saves in the same millisecond still differ. */
function nextStamp(previous: string | null): string {
  const now = Date.now();
  const after = previous ? Date.parse(previous) + 1 : 0;
  return new Date(Math.max(now, after)).toISOString();
}

function checkCustomFields(custom: Record<string, unknown>): void {
  const errors: FieldErrors = {};
  for (const name of Object.keys(custom)) {
    if (name === STEPS_FIELD) {
      errors[`custom_fields.${name}`] = [`Send the steps in "steps", not in custom_fields.${name}.`];
    } else if (!CUSTOM_FIELD.test(name)) {
      errors[`custom_fields.${name}`] = [
        `"${name}" is not a custom field name: use custom_ followed by 1–64 letters, digits or underscores.`,
      ];
    }
  }
  const first = Object.values(errors)[0];
  if (first) throw new InvalidDataError(`The given data was invalid: ${first[0]}`, errors);
}

async function checkTemplate(db: Db, templateId: number | undefined): Promise<void> {
  if (templateId === undefined) return;
  const found = await db.selectFrom("templates").select("id").where("id", "=", templateId).executeTakeFirst();
  if (!found) {
    const message = `Template ${templateId} does not exist. Choose one of the templates the repository offers.`;
    throw new InvalidDataError(message, { template_id: [message] });
  }
}

async function conflict(db: Db, row: CaseRow): Promise<InvalidDataError> {
  const current = await db
    .selectFrom("repository_cases as c")
    .leftJoin("users as u", "u.id", "c.updated_by")
    .select(["c.updated_at", "u.name"])
    .where("c.id", "=", row.id)
    .executeTakeFirst();
  const who = current?.name ?? "someone else";
  const when = current?.updated_at ? ` at ${current.updated_at}` : "";
  const message = `This case was saved by ${who}${when} after you opened it, so your changes were not saved. Compare them with the current version, then save again.`;
  return new InvalidDataError(message, { updated_at: [message] });
}

/**
 * Saves one case if nobody saved it since `body.updated_at` (the version the editor loaded). The claim
 * is one conditional UPDATE, so of two concurrent saves from the same version exactly one wins, on
 * both databases; the loser's transaction changes nothing.
 */
export async function saveCase(db: Db, userId: number, row: CaseRow, body: SaveCase): Promise<void> {
  const custom = body.custom_fields ?? {};
  checkCustomFields(custom);
  await checkTemplate(db, body.template_id);
  const stamp = nextStamp(row.updated_at);
  const loaded = body.updated_at;
  const claim = await db
    .updateTable("repository_cases")
    .set({ updated_at: stamp, updated_by: userId })
    .where("id", "=", row.id)
    .where((eb) => (loaded === null ? eb("updated_at", "is", null) : eb("updated_at", "=", loaded)))
    .executeTakeFirst();
  if (Number(claim.numUpdatedRows) !== 1) throw await conflict(db, row);

  const fields: Record<string, unknown> = { ...custom };
  if (body.steps !== undefined) fields[STEPS_FIELD] = body.steps;
  await updateCases(db, userId, row.project_id, {
    ids: [row.id],
    ...fields,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.folder_id !== undefined ? { folder_id: body.folder_id } : {}),
    ...(body.state_id !== undefined ? { state_id: body.state_id } : {}),
    ...(body.estimate !== undefined ? { estimate: body.estimate } : {}),
    ...(body.tags !== undefined ? { tags: body.tags } : {}),
    ...(body.issues !== undefined ? { issues: body.issues } : {}),
  });
  await finishSave(db, row.id, stamp, body.template_id, Object.keys(custom).length > 0);
}

/** The template (Testmo's PATCH cannot change it), null custom values dropped, and the claimed stamp kept. */
async function finishSave(
  db: Db,
  caseId: number,
  stamp: string,
  templateId: number | undefined,
  customChanged: boolean,
): Promise<void> {
  const set: { updated_at: string; template_id?: number; custom_fields?: string } = { updated_at: stamp };
  if (templateId !== undefined) set.template_id = templateId;
  if (customChanged) {
    const current = await db
      .selectFrom("repository_cases")
      .select("custom_fields")
      .where("id", "=", caseId)
      .executeTakeFirstOrThrow();
    const values = JSON.parse(current.custom_fields) as Record<string, unknown>;
    set.custom_fields = JSON.stringify(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null)));
  }
  await db.updateTable("repository_cases").set(set).where("id", "=", caseId).execute();
}
