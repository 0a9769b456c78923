import type { CreateTableBuilder, Kysely } from "kysely";
import type { DialectName } from "../db.js";

type Table = CreateTableBuilder<string, never>;

export function withId(table: Table, dialect: DialectName): Table {
  return dialect === "postgres"
    ? table.addColumn("id", "serial", (c) => c.primaryKey())
    : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}

function audited(table: Table): Table {
  return table
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .addColumn("updated_at", "text")
    .addColumn("updated_by", "integer");
}

export function withStatusCounts(table: Table): Table {
  let result = table;
  for (let slot = 1; slot <= 25; slot++) {
    result = result.addColumn(`count_${slot}`, "integer", (c) => c.notNull().defaultTo(0));
  }
  return result;
}

export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const create = (name: string) => withId(db.schema.createTable(name), dialect);

  await audited(
    create("roles")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("permissions", "integer", (c) => c.notNull())
      .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0)),
  ).execute();

  await audited(
    create("users")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("type", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("role_id", "integer", (c) => c.notNull().references("roles.id"))
      .addColumn("timezone", "text", (c) => c.notNull().defaultTo("UTC"))
      .addColumn("date_format", "text", (c) => c.notNull().defaultTo("Y-m-d"))
      .addColumn("time_format", "text", (c) => c.notNull().defaultTo("H:i"))
      .addColumn("notifications", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("tfa_enabled", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("is_active", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("is_forgotten", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("is_api", "integer", (c) => c.notNull().defaultTo(0)),
  ).execute();

  await audited(create("groups").addColumn("name", "text", (c) => c.notNull())).execute();

  await db.schema
    .createTable("group_members")
    .addColumn("group_id", "integer", (c) => c.notNull().references("groups.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("group_members_pk", ["group_id", "user_id"])
    .execute();

  await create("api_tokens")
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();

  await audited(
    create("projects")
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("note", "text")
      .addColumn("is_completed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("completed_at", "text"),
  ).execute();

  await create("project_access")
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("group_id", "integer", (c) => c.references("groups.id").onDelete("cascade"))
    .addColumn("role_id", "integer", (c) => c.references("roles.id"))
    .execute();
  await db.schema.createIndex("project_access_project").on("project_access").column("project_id").execute();

  await db.schema
    .createTable("statuses")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("system_name", "text", (c) => c.notNull())
    .addColumn("color", "text", (c) => c.notNull())
    .addColumn("is_final", "integer", (c) => c.notNull())
    .addColumn("is_untested", "integer", (c) => c.notNull())
    .addColumn("is_passed", "integer", (c) => c.notNull())
    .addColumn("is_failed", "integer", (c) => c.notNull())
    .addColumn("aliases", "text", (c) => c.notNull())
    .execute();

  await create("configs")
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .addUniqueConstraint("configs_project_name", ["project_id", "name"])
    .execute();

  await create("milestone_types")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await audited(
    create("milestones")
      .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
      .addColumn("root_id", "integer")
      .addColumn("parent_id", "integer")
      .addColumn("type_id", "integer", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("note", "text")
      .addColumn("is_started", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("is_completed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("start_date", "text")
      .addColumn("due_date", "text")
      .addColumn("automation_tags", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("started_at", "text")
      .addColumn("completed_at", "text"),
  ).execute();
  await db.schema.createIndex("milestones_project").on("milestones").column("project_id").execute();

  await audited(
    create("automation_sources")
      .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("is_retired", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("retired_at", "text")
      .addColumn("retired_by", "integer")
      .addUniqueConstraint("automation_sources_project_name", ["project_id", "name"]),
  ).execute();

  // Run counts are the sums of their threads' counts: parallel thread appends never contend on the run row.
  await audited(
    create("automation_runs")
      .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
      .addColumn("source_id", "integer", (c) => c.notNull().references("automation_sources.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("status", "integer", (c) => c.notNull())
      .addColumn("config_id", "integer")
      .addColumn("milestone_id", "integer")
      .addColumn("elapsed", "bigint")
      .addColumn("is_completed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("thread_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("completed_at", "text")
      .addColumn("completed_by", "integer"),
  ).execute();
  await db.schema
    .createIndex("automation_runs_project_created")
    .on("automation_runs")
    .columns(["project_id", "created_at"])
    .execute();
  await db.schema.createIndex("automation_runs_source").on("automation_runs").column("source_id").execute();

  await db.schema
    .createTable("automation_run_tags")
    .addColumn("run_id", "integer", (c) => c.notNull().references("automation_runs.id").onDelete("cascade"))
    .addColumn("tag", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("automation_run_tags_pk", ["run_id", "tag"])
    .execute();
  await db.schema.createIndex("automation_run_tags_tag").on("automation_run_tags").column("tag").execute();

  await withStatusCounts(
    create("automation_run_threads")
      .addColumn("run_id", "integer", (c) => c.notNull().references("automation_runs.id").onDelete("cascade"))
      .addColumn("index", "integer", (c) => c.notNull())
      .addColumn("status", "integer", (c) => c.notNull())
      .addColumn("elapsed_observed", "bigint")
      .addColumn("elapsed_computed", "bigint")
      .addColumn("is_completed", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("created_by", "integer")
      .addColumn("completed_at", "text")
      .addColumn("completed_by", "integer"),
  ).execute();
  await db.schema.createIndex("automation_run_threads_run").on("automation_run_threads").column("run_id").execute();

  await create("automation_run_resources")
    .addColumn("run_id", "integer", (c) => c.notNull().references("automation_runs.id").onDelete("cascade"))
    .addColumn("thread_id", "integer")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("automation_run_resources_run").on("automation_run_resources").column("run_id").execute();

  await create("automation_cases")
    .addColumn("project_id", "integer", (c) => c.notNull())
    .addColumn("source_id", "integer", (c) => c.notNull().references("automation_sources.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("folder", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("automation_cases_source_key", ["source_id", "key"])
    .execute();

  await create("automation_run_tests")
    .addColumn("run_id", "integer", (c) => c.notNull())
    .addColumn("thread_id", "integer", (c) => c.notNull())
    .addColumn("case_id", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("folder", "text", (c) => c.notNull())
    .addColumn("status_id", "integer", (c) => c.notNull())
    .addColumn("status_alias", "text", (c) => c.notNull())
    .addColumn("elapsed", "bigint")
    .addColumn("file", "text")
    .addColumn("line", "integer")
    .addColumn("assertions", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("automation_run_tests_run").on("automation_run_tests").column("run_id").execute();
  await db.schema.createIndex("automation_run_tests_case").on("automation_run_tests").column("case_id").execute();

  await db.schema
    .createTable("automation_run_test_details")
    .addColumn("test_id", "integer", (c) => c.primaryKey())
    .addColumn("fields", "text")
    .addColumn("artifacts", "text")
    .execute();

  await create("idempotency_keys")
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("status_code", "integer", (c) => c.notNull())
    .addColumn("response_body", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("idempotency_keys_user_key", ["user_id", "key"])
    .execute();
  await db.schema.createIndex("idempotency_keys_created").on("idempotency_keys").column("created_at").execute();
}
