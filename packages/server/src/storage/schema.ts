import type { Generated } from "kysely";

/**
 * Row types of every table. Portable across SQLite and PostgreSQL: booleans
 * are 0/1 integers, datetimes ISO-8601 UTC strings (`toISOString()`, which
 * sort lexically), JSON as text.
 */
export type Flag = 0 | 1;

/** count_1 … count_25: tests per status id on runs and threads. */
export type StatusCounts = { [K in `count_${StatusSlot}`]: Generated<number> };
type StatusSlot =
  | 1
  | 2
  | 3
  | 4
  | 5
  | 6
  | 7
  | 8
  | 9
  | 10
  | 11
  | 12
  | 13
  | 14
  | 15
  | 16
  | 17
  | 18
  | 19
  | 20
  | 21
  | 22
  | 23
  | 24
  | 25;

interface Audited {
  created_at: string;
  created_by: number | null;
  updated_at: string | null;
  updated_by: number | null;
}

export interface RoleTable extends Audited {
  id: Generated<number>;
  name: string;
  permissions: number;
  is_default: Flag;
}

export interface UserTable extends Audited {
  id: Generated<number>;
  name: string;
  email: string;
  type: number;
  role_id: number;
  timezone: string;
  date_format: string;
  time_format: string;
  notifications: number;
  tfa_enabled: Flag;
  is_active: Flag;
  is_forgotten: Flag;
  is_api: Flag;
  /** `scrypt$N$r$p$salt$hash` (lib/passwords.ts); null until the user sets a password */
  password_hash: Generated<string | null>;
}

export interface GroupTable extends Audited {
  id: Generated<number>;
  name: string;
}

export interface GroupMemberTable {
  group_id: number;
  user_id: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ProjectTable extends Audited {
  id: Generated<number>;
  name: string;
  note: string | null;
  is_completed: Flag;
  completed_at: string | null;
}

/**
 * Per-project access overrides. A row names a user, a group, or neither (the
 * project's default for everyone); `role_id` null means "no access".
 */
export interface ProjectAccessTable {
  id: Generated<number>;
  project_id: number;
  user_id: number | null;
  group_id: number | null;
  role_id: number | null;
}

export interface StatusTable {
  id: number;
  name: string;
  system_name: string;
  color: string;
  is_final: Flag;
  is_untested: Flag;
  is_passed: Flag;
  is_failed: Flag;
  aliases: string;
}

export interface ConfigTable {
  id: Generated<number>;
  project_id: number;
  name: string;
  created_at: string;
  created_by: number | null;
}

export interface MilestoneTypeTable {
  id: Generated<number>;
  name: string;
  is_default: Flag;
}

export interface MilestoneTable extends Audited {
  id: Generated<number>;
  project_id: number;
  root_id: number | null;
  parent_id: number | null;
  type_id: number;
  name: string;
  note: string | null;
  is_started: Flag;
  is_completed: Flag;
  start_date: string | null;
  due_date: string | null;
  automation_tags: string;
  started_at: string | null;
  completed_at: string | null;
}

export interface AutomationSourceTable extends Audited {
  id: Generated<number>;
  project_id: number;
  name: string;
  is_retired: Flag;
  retired_at: string | null;
  retired_by: number | null;
}

export interface AutomationRunTable extends Audited {
  id: Generated<number>;
  project_id: number;
  source_id: number;
  name: string;
  status: number;
  config_id: number | null;
  milestone_id: number | null;
  elapsed: number | null;
  is_completed: Flag;
  tags: string;
  /** threads ever created; gives each new thread its index */
  thread_count: number;
  completed_at: string | null;
  completed_by: number | null;
  /** taken from the run's fields (docs/analytics.md): the baseline and same-commit flakiness use them */
  commit_sha: string | null;
  branch: string | null;
}

export interface AutomationRunTagTable {
  run_id: number;
  tag: string;
}

export interface AutomationRunThreadTable extends StatusCounts {
  id: Generated<number>;
  run_id: number;
  index: number;
  status: number;
  elapsed_observed: number | null;
  elapsed_computed: number | null;
  is_completed: Flag;
  created_at: string;
  created_by: number | null;
  completed_at: string | null;
  completed_by: number | null;
  /** sum of its tests' elapsed (µs): project trends' total time */
  tests_elapsed: Generated<number>;
}

export type ResourceKind = "artifact" | "field" | "link";

/** Run- and thread-level artifacts, fields and links, in arrival order. */
export interface AutomationRunResourceTable {
  id: Generated<number>;
  run_id: number;
  thread_id: number | null;
  kind: ResourceKind;
  payload: string;
}

/** Identity of a test across runs of one source (source + key). */
export interface AutomationCaseTable {
  id: Generated<number>;
  project_id: number;
  source_id: number;
  key: string;
  name: string;
  folder: string;
  created_at: string;
  // Aggregates kept current by every append (services/insights/aggregates.ts).
  status: Generated<number>;
  result_count: Generated<number>;
  success_count: Generated<number>;
  failure_count: Generated<number>;
  skipped_count: Generated<number>;
  elapsed_count: Generated<number>;
  elapsed_total: Generated<number>;
  elapsed_average: Generated<number>;
  elapsed_p95: Generated<number>;
  elapsed_change_percent: number | null;
  recent_elapsed: Generated<string>;
  recent_outcomes: Generated<string>;
  last_commit_key: string | null;
  last_commit_outcomes: Generated<number>;
  flaky_percent: Generated<number>;
  is_flaky: Generated<Flag>;
  last_run_id: number | null;
  last_failure_group_id: number | null;
  last_result_at: string | null;
  last_failed_at: string | null;
  last_passed_at: string | null;
}

export interface AutomationRunTestTable {
  id: Generated<number>;
  run_id: number;
  thread_id: number;
  case_id: number;
  name: string;
  folder: string;
  status_id: number;
  status_alias: string;
  elapsed: number | null;
  file: string | null;
  line: number | null;
  assertions: number | null;
  created_at: string;
  failure_group_id: number | null;
  /** first line of the failure, for history and run pages */
  message: string | null;
}

/** Large per-test data kept apart from the hot test rows. */
export interface AutomationRunTestDetailTable {
  test_id: number;
  fields: string | null;
  artifacts: string | null;
}

export interface IdempotencyKeyTable {
  id: Generated<number>;
  user_id: number;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: string | null;
  created_at: string;
}

// ---------------------------------------------------------------- repository (005_repository)

/** Case templates (instance-wide); one is the default for new cases. */
export interface TemplateTable {
  id: Generated<number>;
  name: string;
  is_default: Flag;
}

/** Workflow states of cases (instance-wide); one is the default for new cases. */
export interface StateTable {
  id: Generated<number>;
  name: string;
  is_default: Flag;
}

/** An issue tracker: 1 Custom, 2 GitHub, 3 GitLab, 4 Jira. */
export interface IssueIntegrationTable {
  id: Generated<number>;
  type: number;
  name: string;
  is_active: Flag;
  created_at: string;
  updated_at: string | null;
}

export interface IssueConnectionTable {
  id: Generated<number>;
  integration_id: number;
  name: string;
  created_at: string;
}

/** A project or repository in an external tracker, reached through a connection. */
export interface IssueConnectionProjectTable {
  id: Generated<number>;
  connection_id: number;
  name: string;
  key: string | null;
  created_at: string;
}

export interface IssueTable {
  id: Generated<number>;
  integration_id: number;
  connection_project_id: number | null;
  display_id: string;
  created_at: string;
  created_by: number | null;
}

export interface RepositoryFolderTable extends Audited {
  id: Generated<number>;
  project_id: number;
  parent_id: number | null;
  /** 0 at the top level */
  depth: number;
  name: string;
  docs: string | null;
  display_order: number;
}

export interface RepositoryKeyTable {
  project_id: number;
  last_key: number;
}

export interface RepositoryCaseTable extends Audited {
  id: Generated<number>;
  project_id: number;
  /** per-project case number */
  key: number;
  folder_id: number | null;
  template_id: number;
  state_id: number;
  status_id: number | null;
  status_at: string | null;
  name: string;
  estimate: number | null;
  forecast: number | null;
  /** JSON object of `custom_*` values */
  custom_fields: string;
}

export interface RepositoryTagTable {
  id: Generated<number>;
  project_id: number;
  name: string;
}

export interface RepositoryCaseTagTable {
  case_id: number;
  tag_id: number;
}

export interface RepositoryCaseIssueTable {
  case_id: number;
  issue_id: number;
}

export interface RepositoryCaseAutomationLinkTable {
  case_id: number;
  automation_case_id: number;
}

export interface CaseAttachmentTable {
  id: Generated<number>;
  case_id: number;
  project_id: number;
  name: string;
  note: string | null;
  mime_type: string;
  size: number;
  /** file name under `<ASSAY_DATA_DIR>/attachments/` */
  storage_key: string;
  created_at: string;
  created_by: number | null;
}

// ---------------------------------------------------------------- manual testing (004_manual_testing)

export interface MilestoneLinkTable {
  id: Generated<number>;
  milestone_id: number;
  name: string;
  note: string | null;
  url: string;
}

export interface MilestoneIssueTable {
  milestone_id: number;
  issue_id: number;
}

export interface SessionTemplateTable {
  id: Generated<number>;
  name: string;
  is_default: Flag;
}

/** A manual run; count_N = its tests whose latest result has status N (1 = untested). */
export interface RunTable extends Audited, StatusCounts {
  id: Generated<number>;
  project_id: number;
  name: string;
  config_id: number | null;
  milestone_id: number | null;
  state_id: number;
  forecast: number | null;
  forecast_completed: number | null;
  elapsed: Generated<number>;
  is_started: Flag;
  is_closed: Flag;
  /** JSON array of tag names (also in run_tags, for filters) */
  tags: string;
  started_at: string | null;
  closed_at: string | null;
  closed_by: number | null;
}

export interface RunLinkTable {
  id: Generated<number>;
  run_id: number;
  name: string;
  note: string | null;
  url: string;
}

export interface RunTagTable {
  run_id: number;
  tag_name: string;
}

export interface RunIssueTable {
  run_id: number;
  issue_id: number;
}

export interface RunTestTable {
  id: Generated<number>;
  run_id: number;
  case_id: number;
  name: string;
  status_id: number;
  assignee_id: number | null;
  estimate: number | null;
  created_at: string;
}

export interface RunResultTable extends Audited {
  id: Generated<number>;
  project_id: number;
  run_id: number;
  test_id: number;
  case_id: number;
  status_id: number;
  is_latest: Flag;
  note: string | null;
  elapsed: number;
  assignee_id: number | null;
  deleted_at: string | null;
  deleted_by: number | null;
}

export interface RunResultIssueTable {
  result_id: number;
  issue_id: number;
}

/** A file attached to a run result (013_run_result_attachments); the file is in the file store. */
export interface RunResultAttachmentTable {
  id: Generated<number>;
  result_id: number;
  run_id: number;
  project_id: number;
  name: string;
  mime_type: string;
  size: number;
  storage_key: string;
  created_at: string;
  created_by: number | null;
}

/** An exploratory session; count_N = its results with status N. */
export interface SessionTable extends Audited, StatusCounts {
  id: Generated<number>;
  project_id: number;
  template_id: number;
  name: string;
  config_id: number | null;
  milestone_id: number | null;
  state_id: number;
  assignee_id: number | null;
  estimate: number | null;
  forecast: number | null;
  elapsed: Generated<number>;
  is_started: Flag;
  is_closed: Flag;
  tags: string;
  started_at: string | null;
  closed_at: string | null;
  closed_by: number | null;
  /** 014_session_recording: plain text */
  charter: string | null;
  notes: string | null;
  /** set while the session's timer runs */
  timer_started_at: string | null;
}

/** Files attached to a session (014_session_recording); the file is in the file store under `storage_key`. */
export interface SessionAttachmentTable {
  id: Generated<number>;
  session_id: number;
  project_id: number;
  name: string;
  mime_type: string;
  size: number;
  storage_key: string;
  created_at: string;
  created_by: number | null;
}

export interface SessionTagTable {
  session_id: number;
  tag_name: string;
}

export interface SessionIssueTable {
  session_id: number;
  issue_id: number;
}

export interface SessionResultTable {
  id: Generated<number>;
  session_id: number;
  status_id: number;
  note: string | null;
  elapsed: number;
  created_at: string;
  created_by: number | null;
}

/** Failures that share a signature (services/insights/signature.ts), per project. */
export interface FailureGroupTable {
  id: Generated<number>;
  project_id: number;
  signature: string;
  type: string | null;
  message: string;
  sample: string;
  /** JSON array of normalised stack frames */
  frames: string;
  occurrence_count: number;
  test_count: number;
  run_count: number;
  first_seen_at: string;
  last_seen_at: string;
  first_run_id: number;
  last_run_id: number;
}

export interface FailureGroupTestTable {
  group_id: number;
  case_id: number;
  occurrence_count: number;
  first_seen_at: string;
  last_seen_at: string;
}

export interface FailureGroupRunTable {
  group_id: number;
  run_id: number;
  occurrence_count: number;
  seen_at: string;
}

export interface AutomationCaseQuarantineTable {
  case_id: number;
  project_id: number;
  reason: string;
  expires_at: string | null;
  created_at: string;
  created_by: number | null;
}

export interface InsightSettingsTable {
  project_id: number;
  flaky_window: number;
  flaky_threshold_percent: number;
  flaky_min_results: number;
  updated_at: string;
  updated_by: number | null;
}

/** source_id 0: the project-wide policy. */
export interface RetentionPolicyTable {
  project_id: number;
  source_id: number;
  keep_days: number | null;
  keep_runs: number | null;
  updated_at: string;
  updated_by: number | null;
}

export interface JobLeaseTable {
  name: string;
  holder: string;
  expires_at: string;
}

/** A web UI session; `id` is the SHA-256 (hex) of the secret in the `assay_session` cookie. */
export interface WebSessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  /** absolute end (created_at + ASSAY_SESSION_MAX_DAYS); idleness is judged from last_seen_at */
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
}

/** An invite or password-reset link; `token_hash` is the SHA-256 (hex) of the token in the URL. */
export interface OneTimeLinkTable {
  token_hash: string;
  user_id: number;
  purpose: "invite" | "password";
  created_at: string;
  created_by: number | null;
  expires_at: string;
  used_at: string | null;
}

export interface Database {
  roles: RoleTable;
  users: UserTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  api_tokens: ApiTokenTable;
  projects: ProjectTable;
  project_access: ProjectAccessTable;
  statuses: StatusTable;
  configs: ConfigTable;
  milestone_types: MilestoneTypeTable;
  milestones: MilestoneTable;
  automation_sources: AutomationSourceTable;
  automation_runs: AutomationRunTable;
  automation_run_tags: AutomationRunTagTable;
  automation_run_threads: AutomationRunThreadTable;
  automation_run_resources: AutomationRunResourceTable;
  automation_cases: AutomationCaseTable;
  automation_run_tests: AutomationRunTestTable;
  automation_run_test_details: AutomationRunTestDetailTable;
  idempotency_keys: IdempotencyKeyTable;
  templates: TemplateTable;
  states: StateTable;
  issue_integrations: IssueIntegrationTable;
  issue_connections: IssueConnectionTable;
  issue_connection_projects: IssueConnectionProjectTable;
  issues: IssueTable;
  repository_folders: RepositoryFolderTable;
  repository_keys: RepositoryKeyTable;
  repository_cases: RepositoryCaseTable;
  repository_tags: RepositoryTagTable;
  repository_case_tags: RepositoryCaseTagTable;
  repository_case_issues: RepositoryCaseIssueTable;
  repository_case_automation_links: RepositoryCaseAutomationLinkTable;
  case_attachments: CaseAttachmentTable;
  milestone_links: MilestoneLinkTable;
  milestone_issues: MilestoneIssueTable;
  session_templates: SessionTemplateTable;
  runs: RunTable;
  run_links: RunLinkTable;
  run_tags: RunTagTable;
  run_issues: RunIssueTable;
  run_tests: RunTestTable;
  run_results: RunResultTable;
  run_result_issues: RunResultIssueTable;
  run_result_attachments: RunResultAttachmentTable;
  sessions: SessionTable;
  session_tags: SessionTagTable;
  session_issues: SessionIssueTable;
  session_results: SessionResultTable;
  session_attachments: SessionAttachmentTable;
  failure_groups: FailureGroupTable;
  failure_group_tests: FailureGroupTestTable;
  failure_group_runs: FailureGroupRunTable;
  automation_case_quarantines: AutomationCaseQuarantineTable;
  insight_settings: InsightSettingsTable;
  retention_policies: RetentionPolicyTable;
  job_leases: JobLeaseTable;
  web_sessions: WebSessionTable;
  one_time_links: OneTimeLinkTable;
}
