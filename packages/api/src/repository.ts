import Type, { type Static } from "typebox";
import { Datetime, Id, MAX_INTEGER, NullableDatetime, NullableId, NullableInteger, NullableString } from "./common.js";
import { LIMITS } from "./limits.js";

/**
 * The case repository: cases, folders, case attachments and issue connections
 * (spec §3.14–3.17, §4.2, §4.3).
 */

const Name = Type.String({ minLength: 1, maxLength: LIMITS.string });
/** Durations are microseconds, like every `elapsed` (Open point 13). */
const Micros = Type.Integer({ minimum: 0, maximum: MAX_INTEGER });
const Docs = Type.String({ maxLength: 65_536 });

/** Cases per create request (spec §1.11). */
export const MAX_CASES_PER_CREATE = 100;
/** Ids per bulk update or delete of cases, folders or attachments. */
export const MAX_IDS_PER_REQUEST = 100;
/** Files per multi-upload; more are ignored, only the first 20 are stored (spec §1.11). */
export const MAX_FILES_PER_UPLOAD = 20;
/** Tags, issues or automation links on one case in one request. */
export const MAX_RELATIONS_PER_CASE = 100;

// ---------------------------------------------------------------- request bodies

/** An issue by key in a tracker: found if it exists, created otherwise. */
export const IssueInput = Type.Object({
  display_id: Name,
  integration_id: Id,
  connection_project_id: Type.Optional(Id),
});
export type IssueInput = Static<typeof IssueInput>;

const Issues = Type.Array(Type.Union([Id, IssueInput]), { maxItems: MAX_RELATIONS_PER_CASE });
const Tags = Type.Array(Name, { maxItems: MAX_RELATIONS_PER_CASE });
const AutomationLinks = Type.Array(Id, { maxItems: MAX_RELATIONS_PER_CASE });
const Ids = Type.Array(Id, { minItems: 1, maxItems: MAX_IDS_PER_REQUEST });

/**
 * One case to create. Keys starting with `custom_` carry custom field values
 * (any JSON value) and are stored and returned as given (Open point 15).
 */
export const CreateRepositoryCaseCasesInner = Type.Object({
  name: Name,
  folder_id: Type.Optional(NullableId),
  template_id: Type.Optional(Id),
  state_id: Type.Optional(Id),
  estimate: Type.Optional(Type.Union([Micros, Type.Null()])),
  automation_links: Type.Optional(AutomationLinks),
  issues: Type.Optional(Issues),
  tags: Type.Optional(Tags),
});
export type CreateRepositoryCaseCasesInner = Static<typeof CreateRepositoryCaseCasesInner> & Record<string, unknown>;

export const CreateRepositoryCase = Type.Object({
  cases: Type.Array(CreateRepositoryCaseCasesInner, { minItems: 1, maxItems: MAX_CASES_PER_CREATE }),
});
export type CreateRepositoryCase = { cases: CreateRepositoryCaseCasesInner[] };

export const UpdateRepositoryCase = Type.Object({
  ids: Ids,
  name: Type.Optional(Name),
  folder_id: Type.Optional(NullableId),
  state_id: Type.Optional(Id),
  status_id: Type.Optional(NullableId),
  estimate: Type.Optional(Type.Union([Micros, Type.Null()])),
  issues: Type.Optional(Issues),
  tags: Type.Optional(Tags),
  automation_links: Type.Optional(AutomationLinks),
});
export type UpdateRepositoryCase = Static<typeof UpdateRepositoryCase> & Record<string, unknown>;

export const DeleteRepositoryCases = Type.Object({ ids: Ids });
export type DeleteRepositoryCases = Static<typeof DeleteRepositoryCases>;

export const CreateRepositoryFoldersFoldersInner = Type.Object({
  name: Name,
  parent_id: Type.Optional(NullableId),
  docs: Type.Optional(Type.Union([Docs, Type.Null()])),
  display_order: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INTEGER })),
});
export type CreateRepositoryFoldersFoldersInner = Static<typeof CreateRepositoryFoldersFoldersInner>;

export const CreateRepositoryFolders = Type.Object({
  folders: Type.Array(CreateRepositoryFoldersFoldersInner, { minItems: 1, maxItems: MAX_IDS_PER_REQUEST }),
});
export type CreateRepositoryFolders = Static<typeof CreateRepositoryFolders>;

export const UpdateRepositoryFolders = Type.Object({
  ids: Ids,
  name: Type.Optional(Name),
  parent_id: Type.Optional(NullableId),
  docs: Type.Optional(Type.Union([Docs, Type.Null()])),
});
export type UpdateRepositoryFolders = Static<typeof UpdateRepositoryFolders>;

export const DeleteRepositoryFolders = Type.Object({ ids: Ids });
export type DeleteRepositoryFolders = Static<typeof DeleteRepositoryFolders>;

export const DeleteRepositoryCaseAttachments = Type.Object({ ids: Ids });
export type DeleteRepositoryCaseAttachments = Static<typeof DeleteRepositoryCaseAttachments>;

// ---------------------------------------------------------------- resource objects

const CaseScalars = {
  id: Id,
  project_id: Id,
  repo_id: Id,
  key: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  folder_id: NullableId,
  template_id: Id,
  state_id: Id,
  status_id: NullableId,
  status_at: NullableDatetime,
  estimate: NullableInteger,
  forecast: NullableInteger,
  has_automation: Type.Boolean(),
  has_automation_status: Type.Boolean(),
  created_at: Datetime,
  created_by: Id,
  updated_at: NullableDatetime,
  updated_by: NullableId,
};

/** Item of `GET /projects/{id}/cases`: relations are id arrays resolved by expands. */
export const RepositoryCase = Type.Object({
  ...CaseScalars,
  /** automation case ids (Open point 18) */
  automation_links: Type.Array(Id),
  tags: Type.Array(Id),
  issues: Type.Array(Id),
  history: Type.Array(Id),
  comments: Type.Array(Id),
});
export type RepositoryCase = Static<typeof RepositoryCase> & Record<string, unknown>;

export const CreatedRepositoryCaseAutomationLink = Type.Object({
  name: Type.String(),
  automation_source_id: Id,
  automation_case_id: Id,
});
export const CreatedRepositoryCaseTag = Type.Object({ tag_id: Id, name: Type.String() });
export const CreatedRepositoryCaseIssue = Type.Object({
  issue_id: Id,
  display_id: Type.String(),
  integration_id: Id,
  connection_project_id: NullableId,
});

/** Item of the create and update responses: relations embedded as objects. */
export const CreatedRepositoryCase = Type.Object({
  ...CaseScalars,
  automation_links: Type.Array(CreatedRepositoryCaseAutomationLink),
  tags: Type.Array(CreatedRepositoryCaseTag),
  issues: Type.Array(CreatedRepositoryCaseIssue),
});
export type CreatedRepositoryCase = Static<typeof CreatedRepositoryCase> & Record<string, unknown>;

export const CaseResultList = Type.Object({ result: Type.Array(CreatedRepositoryCase) });

export const RepositoryFolder = Type.Object({
  id: Id,
  project_id: Id,
  repo_id: Id,
  name: Type.String(),
  parent_id: NullableId,
  /** 0 for top-level folders (Open point 19) */
  depth: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  docs: NullableString,
  display_order: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
});
export type RepositoryFolder = Static<typeof RepositoryFolder>;

export const FolderResultList = Type.Object({ result: Type.Array(RepositoryFolder) });

/** PATCH folders echoes the id and only the fields that were changed. */
export const UpdatedRepositoryFolder = Type.Object({
  id: Id,
  name: Type.Optional(Type.String()),
  parent_id: Type.Optional(NullableId),
  docs: Type.Optional(NullableString),
});
export const UpdatedFolderResultList = Type.Object({ result: Type.Array(UpdatedRepositoryFolder) });

export const Attachment = Type.Object({
  id: Id,
  name: Type.String(),
  note: NullableString,
  mime_type: Type.String(),
  size: Type.Integer({ minimum: 0, maximum: MAX_INTEGER }),
  created_at: Datetime,
  created_by: Id,
  /** `/api/v1/attachments/{id}/download` (an Assay extension), bearer token required */
  path: Type.String(),
  path_thumbnail: NullableString,
  path_preview: NullableString,
});
export type Attachment = Static<typeof Attachment>;

export const AttachmentResultList = Type.Object({
  result: Type.Array(Attachment),
  expands: Type.Record(Type.String(), Type.Array(Type.Unknown())),
});

export const INTEGRATION_TYPES = { custom: 1, github: 2, gitlab: 3, jira: 4 } as const;

export const Connection = Type.Object({
  integration_id: Id,
  integration_type: Type.Integer({ minimum: 1, maximum: 4 }),
  integration_name: Type.String(),
  connection_id: NullableId,
  connection_name: NullableString,
  connection_project_id: NullableId,
  connection_project_name: NullableString,
  is_active: Type.Boolean(),
  created_at: Datetime,
  updated_at: NullableDatetime,
});
export type Connection = Static<typeof Connection>;

export const ConnectionPage = Type.Object({
  page: NullableInteger,
  prev_page: NullableInteger,
  next_page: NullableInteger,
  last_page: NullableInteger,
  per_page: Type.Integer(),
  total: Type.Integer(),
  result: Type.Array(Connection),
  message: Type.Optional(Type.String()),
});

// ---------------------------------------------------------------- expands, sorts

export const TemplateExpand = Type.Object({ id: Id, name: Type.String(), is_default: Type.Boolean() });
export const AutomationLinkExpand = CreatedRepositoryCaseAutomationLink;

export const CASE_EXPANDS = [
  "templates",
  "folders",
  "users",
  "automation_links",
  "tags",
  "history",
  "comments",
] as const;
export const CASE_SORTS = ["repository_cases:created_at", "repository_cases:name"] as const;
export const FOLDER_EXPANDS = ["folders"] as const;
/** Both the bare and the `table:column` form are accepted (Open point 19). */
export const FOLDER_SORTS = [
  "display_order",
  "name",
  "repository_folders:display_order",
  "repository_folders:name",
] as const;
export const ATTACHMENT_EXPANDS = ["users"] as const;
/** Not documented by Testmo (Open point 20): Assay's choice. */
export const CONNECTION_SORTS = ["integrations:created_at", "integrations:name"] as const;
