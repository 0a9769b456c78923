import type { Kysely } from "kysely";
import type { DialectName } from "../db.js";
import { withId } from "./001_initial.js";

/**
 * Test intelligence: aggregates kept current by every append (per test
 * identity and per failure group), quarantine, per-project analytics and
 * retention settings, and a lease table so one instance runs each job.
 * Definitions of every figure: docs/analytics.md.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await db.schema.alterTable("automation_runs").addColumn("commit_sha", "text").execute();
  await db.schema.alterTable("automation_runs").addColumn("branch", "text").execute();
  // Baseline lookups: the previous completed run of a source.
  await db.schema.createIndex("automation_runs_source_id").on("automation_runs").columns(["source_id", "id"]).execute();
  // … and of the same branch and configuration, however rarely that branch runs.
  await db.schema
    .createIndex("automation_runs_source_branch")
    .on("automation_runs")
    .columns(["source_id", "branch", "config_id", "id"])
    .execute();

  await db.schema
    .alterTable("automation_run_threads")
    .addColumn("tests_elapsed", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();

  await addCaseAggregates(db);
  await db.schema
    .createIndex("automation_cases_project_source")
    .on("automation_cases")
    .columns(["project_id", "source_id", "id"])
    .execute();
  await db.schema
    .createIndex("automation_cases_project_flaky")
    .on("automation_cases")
    .columns(["project_id", "flaky_percent", "id"])
    .execute();
  await db.schema
    .createIndex("automation_cases_project_elapsed")
    .on("automation_cases")
    .columns(["project_id", "elapsed_average", "id"])
    .execute();

  await db.schema.alterTable("automation_run_tests").addColumn("failure_group_id", "integer").execute();
  await db.schema.alterTable("automation_run_tests").addColumn("message", "text").execute();
  // History of a test, newest first, and the tests of a run in order.
  await db.schema.dropIndex("automation_run_tests_case").execute();
  await db.schema
    .createIndex("automation_run_tests_case")
    .on("automation_run_tests")
    .columns(["case_id", "id"])
    .execute();
  await db.schema.dropIndex("automation_run_tests_run").execute();
  await db.schema
    .createIndex("automation_run_tests_run")
    .on("automation_run_tests")
    .columns(["run_id", "id"])
    .execute();

  await createFailureGroups(db, dialect);

  await db.schema
    .createTable("automation_case_quarantines")
    .addColumn("case_id", "integer", (c) => c.primaryKey().references("automation_cases.id").onDelete("cascade"))
    .addColumn("project_id", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .execute();
  await db.schema
    .createIndex("automation_case_quarantines_project")
    .on("automation_case_quarantines")
    .column("project_id")
    .execute();

  await db.schema
    .createTable("insight_settings")
    .addColumn("project_id", "integer", (c) => c.primaryKey().references("projects.id").onDelete("cascade"))
    .addColumn("flaky_window", "integer", (c) => c.notNull())
    .addColumn("flaky_threshold_percent", "integer", (c) => c.notNull())
    .addColumn("flaky_min_results", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer")
    .execute();

  // source_id 0 is the project-wide policy; a source's own policy wins over it.
  await db.schema
    .createTable("retention_policies")
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("source_id", "integer", (c) => c.notNull())
    .addColumn("keep_days", "integer")
    .addColumn("keep_runs", "integer")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer")
    .addPrimaryKeyConstraint("retention_policies_pk", ["project_id", "source_id"])
    .execute();

  await db.schema
    .createTable("job_leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

async function addCaseAggregates(db: Kysely<unknown>): Promise<void> {
  const integer = (name: string) =>
    db.schema
      .alterTable("automation_cases")
      .addColumn(name, "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  const bigint = (name: string) =>
    db.schema
      .alterTable("automation_cases")
      .addColumn(name, "bigint", (c) => c.notNull().defaultTo(0))
      .execute();
  const nullable = (name: string, type: "integer" | "bigint" | "text") =>
    db.schema.alterTable("automation_cases").addColumn(name, type).execute();
  // Status of the latest result: 1 neutral, 2 success, 3 failure.
  await db.schema
    .alterTable("automation_cases")
    .addColumn("status", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  for (const name of ["result_count", "success_count", "failure_count", "skipped_count"]) await integer(name);
  for (const name of ["elapsed_count"]) await integer(name);
  for (const name of ["elapsed_total", "elapsed_average", "elapsed_p95"]) await bigint(name);
  await nullable("elapsed_change_percent", "integer");
  // Newest last: up to 100 elapsed values (µs) and non-skipped outcomes ("P"/"F"; lower case
  // when the result contradicts an earlier one on the same commit).
  await db.schema
    .alterTable("automation_cases")
    .addColumn("recent_elapsed", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema
    .alterTable("automation_cases")
    .addColumn("recent_outcomes", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await nullable("last_commit_key", "text");
  await integer("last_commit_outcomes");
  await integer("flaky_percent");
  await integer("is_flaky");
  for (const name of ["last_run_id", "last_failure_group_id"]) await nullable(name, "integer");
  for (const name of ["last_result_at", "last_failed_at", "last_passed_at"]) await nullable(name, "text");
}

async function createFailureGroups(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable("failure_groups"), dialect)
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("signature", "text", (c) => c.notNull())
    .addColumn("type", "text")
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("sample", "text", (c) => c.notNull())
    .addColumn("frames", "text", (c) => c.notNull())
    .addColumn("occurrence_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("test_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("run_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("first_run_id", "integer", (c) => c.notNull())
    .addColumn("last_run_id", "integer", (c) => c.notNull())
    .addUniqueConstraint("failure_groups_project_signature", ["project_id", "signature"])
    .execute();
  await db.schema
    .createIndex("failure_groups_project_last_seen")
    .on("failure_groups")
    .columns(["project_id", "last_seen_at"])
    .execute();

  await db.schema
    .createTable("failure_group_tests")
    .addColumn("group_id", "integer", (c) => c.notNull().references("failure_groups.id").onDelete("cascade"))
    .addColumn("case_id", "integer", (c) => c.notNull())
    .addColumn("occurrence_count", "integer", (c) => c.notNull())
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("failure_group_tests_pk", ["group_id", "case_id"])
    .execute();
  await db.schema.createIndex("failure_group_tests_case").on("failure_group_tests").column("case_id").execute();

  await db.schema
    .createTable("failure_group_runs")
    .addColumn("group_id", "integer", (c) => c.notNull().references("failure_groups.id").onDelete("cascade"))
    .addColumn("run_id", "integer", (c) => c.notNull())
    .addColumn("occurrence_count", "integer", (c) => c.notNull())
    .addColumn("seen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("failure_group_runs_pk", ["group_id", "run_id"])
    .execute();
  await db.schema.createIndex("failure_group_runs_run").on("failure_group_runs").column("run_id").execute();
  await db.schema
    .createIndex("failure_group_runs_group_seen")
    .on("failure_group_runs")
    .columns(["group_id", "seen_at"])
    .execute();
}
