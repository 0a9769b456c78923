import type { CreateTableBuilder, Kysely } from "kysely";
import type { DialectName } from "../db.js";
import { withId, withStatusCounts } from "./001_initial.js";

type Table = CreateTableBuilder<string, never>;

/**
 * Manual testing: milestone links and issues, manual runs (with their tests,
 * results, links, tags and issues) and exploratory sessions (with their
 * results). Runs and sessions keep `count_1` … `count_25` (tests per current
 * status) in step with their results.
 *
 * Workflow states (`states`), case templates and `issues` come with
 * 005_repository, which runs after this migration on a fresh database: the
 * columns referring to them carry no foreign key. Session templates are a
 * table of their own (case templates are a different kind).
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const create = (name: string) => withId(db.schema.createTable(name), dialect);
  const audited = (table: Table) =>
    table
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("created_by", "integer")
      .addColumn("updated_at", "text")
      .addColumn("updated_by", "integer");
  const pair = (name: string, owner: string, ownerTable: string, other: string, type: "integer" | "text" = "integer") =>
    db.schema
      .createTable(name)
      .addColumn(owner, "integer", (c) => c.notNull().references(`${ownerTable}.id`).onDelete("cascade"))
      .addColumn(other, type, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${name}_pk`, [owner, other])
      .execute();

  await create("milestone_links")
    .addColumn("milestone_id", "integer", (c) => c.notNull().references("milestones.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("url", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("milestone_links_milestone").on("milestone_links").column("milestone_id").execute();
  await pair("milestone_issues", "milestone_id", "milestones", "issue_id");

  await create("session_templates")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await (db as Kysely<Record<string, { name: string; is_default: number }>>)
    .insertInto("session_templates")
    .values([
      { name: "Exploratory session", is_default: 1 },
      { name: "Bug bash", is_default: 0 },
    ])
    .execute();

  // ------------------------------------------------------------ manual runs
  await withStatusCounts(
    audited(
      create("runs")
        .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("config_id", "integer", (c) => c.references("configs.id"))
        .addColumn("milestone_id", "integer", (c) => c.references("milestones.id").onDelete("set null"))
        .addColumn("state_id", "integer", (c) => c.notNull())
        .addColumn("forecast", "bigint")
        .addColumn("forecast_completed", "bigint")
        .addColumn("elapsed", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("is_started", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("is_closed", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("started_at", "text")
        .addColumn("closed_at", "text")
        .addColumn("closed_by", "integer"),
    ),
  ).execute();
  await db.schema.createIndex("runs_project_created").on("runs").columns(["project_id", "created_at"]).execute();
  await db.schema.createIndex("runs_milestone").on("runs").column("milestone_id").execute();

  await create("run_links")
    .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("url", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("run_links_run").on("run_links").column("run_id").execute();
  await pair("run_tags", "run_id", "runs", "tag_name", "text");
  await pair("run_issues", "run_id", "runs", "issue_id");

  /** A run's entries: one per repository case; `status_id` is that of its latest result (1 = untested). */
  await create("run_tests")
    .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
    .addColumn("case_id", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status_id", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("assignee_id", "integer")
    .addColumn("estimate", "bigint")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("run_tests_run").on("run_tests").column("run_id").execute();

  await audited(
    create("run_results")
      .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
      .addColumn("run_id", "integer", (c) => c.notNull().references("runs.id").onDelete("cascade"))
      .addColumn("test_id", "integer", (c) => c.notNull().references("run_tests.id").onDelete("cascade"))
      .addColumn("case_id", "integer", (c) => c.notNull())
      .addColumn("status_id", "integer", (c) => c.notNull())
      .addColumn("is_latest", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("note", "text")
      .addColumn("elapsed", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("assignee_id", "integer")
      .addColumn("deleted_at", "text")
      .addColumn("deleted_by", "integer"),
  ).execute();
  await db.schema.createIndex("run_results_run_created").on("run_results").columns(["run_id", "created_at"]).execute();
  await db.schema.createIndex("run_results_test").on("run_results").column("test_id").execute();
  await pair("run_result_issues", "result_id", "run_results", "issue_id");

  // ------------------------------------------------------------ sessions
  await withStatusCounts(
    audited(
      create("sessions")
        .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
        .addColumn("template_id", "integer", (c) => c.notNull().references("session_templates.id"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("config_id", "integer", (c) => c.references("configs.id"))
        .addColumn("milestone_id", "integer", (c) => c.references("milestones.id").onDelete("set null"))
        .addColumn("state_id", "integer", (c) => c.notNull())
        .addColumn("assignee_id", "integer")
        .addColumn("estimate", "bigint")
        .addColumn("forecast", "bigint")
        .addColumn("elapsed", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("is_started", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("is_closed", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("tags", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("started_at", "text")
        .addColumn("closed_at", "text")
        .addColumn("closed_by", "integer"),
    ),
  ).execute();
  await db.schema
    .createIndex("sessions_project_created")
    .on("sessions")
    .columns(["project_id", "created_at"])
    .execute();
  await pair("session_tags", "session_id", "sessions", "tag_name", "text");
  await pair("session_issues", "session_id", "sessions", "issue_id");

  /** Findings of a session: each a status, a note and the time it took; counted on the session. */
  await create("session_results")
    .addColumn("session_id", "integer", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
    .addColumn("status_id", "integer", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("elapsed", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .execute();
  await db.schema.createIndex("session_results_session").on("session_results").column("session_id").execute();
}
