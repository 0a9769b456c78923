import type { CaseDetail, RepositoryFolder, RepositoryOptions, SaveCase } from "@assay/api";

/** One step being edited; `id` only keeps React's rows stable while steps move. */
export interface DraftStep {
  id: number;
  step: string;
  expected: string;
}

/** A custom field being edited: text values only (others are shown, not edited). */
export interface DraftField {
  name: string;
  value: string;
}

/** An issue of the case: a known one (id) or a tracker's key to find or create on save. */
export interface DraftIssue {
  id?: number;
  display_id: string;
  integration_id: number;
  connection_project_id: number | null;
}

/** What the editor's inputs hold: everything the user can change, as typed. */
export interface CaseDraft {
  name: string;
  folder_id: number | null;
  template_id: number;
  state_id: number;
  /** comma-separated */
  tags: string;
  steps: DraftStep[];
  fields: DraftField[];
  issues: DraftIssue[];
}

let nextStepId = 1;

export function newStep(step = "", expected = ""): DraftStep {
  return { id: nextStepId++, step, expected };
}

export function draftOf(detail: CaseDetail): CaseDraft {
  return {
    name: detail.name,
    folder_id: detail.folder_id,
    template_id: detail.template_id,
    state_id: detail.state_id,
    tags: detail.tags.map((t) => t.name).join(", "),
    steps: detail.steps.map((s) => newStep(s.step, s.expected)),
    fields: Object.entries(detail.custom_fields)
      .filter(([, value]) => typeof value === "string")
      .map(([name, value]) => ({ name, value: value as string })),
    issues: detail.issues.map((i) => ({ ...i })),
  };
}

export function tagList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

/** The save request of a draft made from `base` (the version loaded; its updated_at is the check). */
export function saveBody(base: CaseDetail, draft: CaseDraft): SaveCase {
  const custom: Record<string, unknown> = {};
  const kept = new Set(draft.fields.map((f) => f.name));
  for (const field of draft.fields)
    if (base.custom_fields[field.name] !== field.value) custom[field.name] = field.value;
  for (const [name, value] of Object.entries(base.custom_fields)) {
    if (typeof value === "string" && !kept.has(name)) custom[name] = null;
  }
  return {
    updated_at: base.updated_at,
    name: draft.name.trim(),
    folder_id: draft.folder_id,
    template_id: draft.template_id,
    state_id: draft.state_id,
    tags: tagList(draft.tags),
    steps: draft.steps.map(({ step, expected }) => ({ step, expected })),
    issues: draft.issues.map((i) =>
      i.id !== undefined
        ? i.id
        : {
            display_id: i.display_id,
            integration_id: i.integration_id,
            ...(i.connection_project_id === null ? {} : { connection_project_id: i.connection_project_id }),
          },
    ),
    ...(Object.keys(custom).length > 0 ? { custom_fields: custom } : {}),
  };
}

/** A field shown in a conflict: what the other person saved beside what this user typed. */
export interface Difference {
  field: string;
  theirs: string;
  yours: string;
}

function stepsText(steps: readonly { step: string; expected: string }[]): string {
  if (steps.length === 0) return "(no steps)";
  return steps.map((s, i) => `${i + 1}. ${s.step}${s.expected ? ` → ${s.expected}` : ""}`).join("\n");
}

function fieldsText(fields: readonly DraftField[]): string {
  return fields.length === 0 ? "(none)" : fields.map((f) => `${f.name.replace(/^custom_/, "")}: ${f.value}`).join("\n");
}

/**
 * What the other person changed since this user loaded the case (`loaded` → `theirs`), each with what
 * this user has now, as text. Fields they did not change are left out: the user's values stand.
 */
export function differences(
  loaded: CaseDetail,
  theirs: CaseDetail,
  yours: CaseDraft,
  names: { options?: RepositoryOptions; folders?: RepositoryFolder[] },
): Difference[] {
  const before = draftOf(loaded);
  const after = draftOf(theirs);
  const folder = (id: number | null) =>
    id === null ? "Top level" : (names.folders?.find((f) => f.id === id)?.name ?? `Folder ${id}`);
  const template = (id: number) => names.options?.templates.find((t) => t.id === id)?.name ?? `Template ${id}`;
  const state = (id: number) => names.options?.states.find((s) => s.id === id)?.name ?? `State ${id}`;
  const rows: [string, (d: CaseDraft) => string][] = [
    ["Name", (d) => d.name],
    ["Folder", (d) => folder(d.folder_id)],
    ["Template", (d) => template(d.template_id)],
    ["State", (d) => state(d.state_id)],
    ["Tags", (d) => tagList(d.tags).join(", ") || "(none)"],
    ["Steps", (d) => stepsText(d.steps)],
    ["Custom fields", (d) => fieldsText(d.fields)],
    ["Issues", (d) => d.issues.map((i) => i.display_id).join(", ") || "(none)"],
  ];
  return rows
    .filter(([, show]) => show(before) !== show(after))
    .map(([field, show]) => ({ field, theirs: show(after), yours: show(yours) }));
}
