import type { AutomationLinkPair } from "@assay/api";
import type { Kysely } from "kysely";
import { type FieldErrors, InvalidDataError } from "../../errors.js";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database>;

/**
 * Links each repository case to its automation case. Every pair is checked
 * first: both must exist in the project, or nothing is written and the 422
 * names each bad entry (`<prefix>case_id`, `<prefix>automation_case_id`).
 * A link that already exists stays as it is.
 */
export async function createLinks(
  db: Db,
  projectId: number,
  pairs: readonly AutomationLinkPair[],
  prefix: (index: number) => string,
): Promise<void> {
  const [cases, automationCases] = await Promise.all([
    idsInProject(
      db,
      "repository_cases",
      projectId,
      pairs.map((p) => p.case_id),
    ),
    idsInProject(
      db,
      "automation_cases",
      projectId,
      pairs.map((p) => p.automation_case_id),
    ),
  ]);
  const errors: FieldErrors = {};
  pairs.forEach((pair, i) => {
    if (!cases.has(pair.case_id)) {
      errors[`${prefix(i)}case_id`] = [
        `Case ${pair.case_id} does not exist in project ${projectId}. Link a case of this project (GET /projects/${projectId}/cases).`,
      ];
    }
    if (!automationCases.has(pair.automation_case_id)) {
      errors[`${prefix(i)}automation_case_id`] = [
        `Automation case ${pair.automation_case_id} does not exist in project ${projectId}. Link an automation case of this project (GET /projects/${projectId}/automation/cases).`,
      ];
    }
  });
  const first = Object.values(errors)[0];
  if (first) throw new InvalidDataError(`The given data was invalid: ${first[0]}`, errors);
  const unique = new Map(pairs.map((p) => [`${p.case_id}:${p.automation_case_id}`, p]));
  await db
    .insertInto("repository_case_automation_links")
    .values([...unique.values()].map((p) => ({ case_id: p.case_id, automation_case_id: p.automation_case_id })))
    .onConflict((oc) => oc.columns(["case_id", "automation_case_id"]).doNothing())
    .execute();
}

async function idsInProject(
  db: Db,
  table: "repository_cases" | "automation_cases",
  projectId: number,
  ids: readonly number[],
): Promise<Set<number>> {
  const rows = await db
    .selectFrom(table)
    .select("id")
    .where("project_id", "=", projectId)
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}
