import type { Kysely } from "kysely";
import type { DialectName } from "../db.js";
import { withId } from "./001_initial.js";

/**
 * The case repository: folders, cases with their tags, issues and automation
 * links, case attachments (metadata here, files under
 * `<ASSAY_DATA_DIR>/attachments/`), and the issue trackers issues live in.
 *
 * `templates`, `states`, `issues` and the issue-integration tables are shared
 * with manual runs and sessions; they are created only if an earlier
 * migration has not created them already, and seeded only when empty.
 * One repository per project: `repo_id` is the project id.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  const create = (name: string) => withId(db.schema.createTable(name).ifNotExists(), dialect);

  await create("templates")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await create("states")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await create("issue_integrations")
    .addColumn("type", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text")
    .execute();
  await create("issue_connections")
    .addColumn("integration_id", "integer", (c) => c.notNull().references("issue_integrations.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await create("issue_connection_projects")
    .addColumn("connection_id", "integer", (c) => c.notNull().references("issue_connections.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await create("issues")
    .addColumn("integration_id", "integer", (c) => c.notNull().references("issue_integrations.id"))
    .addColumn("connection_project_id", "integer")
    .addColumn("display_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .execute();
  await db.schema
    .createIndex("issues_lookup")
    .ifNotExists()
    .on("issues")
    .columns(["integration_id", "display_id"])
    .execute();

  await create("repository_folders")
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("parent_id", "integer", (c) => c.references("repository_folders.id").onDelete("cascade"))
    .addColumn("depth", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("docs", "text")
    .addColumn("display_order", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .addColumn("updated_at", "text")
    .addColumn("updated_by", "integer")
    .execute();
  await db.schema
    .createIndex("repository_folders_project_parent")
    .on("repository_folders")
    .columns(["project_id", "parent_id"])
    .execute();

  /** The last case key handed out per project; the row lock serialises concurrent creates. */
  await db.schema
    .createTable("repository_keys")
    .addColumn("project_id", "integer", (c) => c.primaryKey().references("projects.id").onDelete("cascade"))
    .addColumn("last_key", "integer", (c) => c.notNull())
    .execute();

  await create("repository_cases")
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("key", "integer", (c) => c.notNull())
    .addColumn("folder_id", "integer", (c) => c.references("repository_folders.id").onDelete("cascade"))
    .addColumn("template_id", "integer", (c) => c.notNull())
    .addColumn("state_id", "integer", (c) => c.notNull())
    .addColumn("status_id", "integer")
    .addColumn("status_at", "text")
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("estimate", "bigint")
    .addColumn("forecast", "bigint")
    .addColumn("custom_fields", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .addColumn("updated_at", "text")
    .addColumn("updated_by", "integer")
    .addUniqueConstraint("repository_cases_project_key", ["project_id", "key"])
    .execute();
  await db.schema
    .createIndex("repository_cases_project_created")
    .on("repository_cases")
    .columns(["project_id", "created_at"])
    .execute();
  await db.schema.createIndex("repository_cases_folder").on("repository_cases").column("folder_id").execute();

  await create("repository_tags")
    .addColumn("project_id", "integer", (c) => c.notNull().references("projects.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addUniqueConstraint("repository_tags_project_name", ["project_id", "name"])
    .execute();

  await db.schema
    .createTable("repository_case_tags")
    .addColumn("case_id", "integer", (c) => c.notNull().references("repository_cases.id").onDelete("cascade"))
    .addColumn("tag_id", "integer", (c) => c.notNull().references("repository_tags.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("repository_case_tags_pk", ["case_id", "tag_id"])
    .execute();
  await db.schema
    .createTable("repository_case_issues")
    .addColumn("case_id", "integer", (c) => c.notNull().references("repository_cases.id").onDelete("cascade"))
    .addColumn("issue_id", "integer", (c) => c.notNull().references("issues.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("repository_case_issues_pk", ["case_id", "issue_id"])
    .execute();
  await db.schema
    .createTable("repository_case_automation_links")
    .addColumn("case_id", "integer", (c) => c.notNull().references("repository_cases.id").onDelete("cascade"))
    .addColumn("automation_case_id", "integer", (c) =>
      c.notNull().references("automation_cases.id").onDelete("cascade"),
    )
    .addPrimaryKeyConstraint("repository_case_automation_links_pk", ["case_id", "automation_case_id"])
    .execute();

  await create("case_attachments")
    .addColumn("case_id", "integer", (c) => c.notNull().references("repository_cases.id").onDelete("cascade"))
    .addColumn("project_id", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("mime_type", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "integer")
    .execute();
  await db.schema.createIndex("case_attachments_case").on("case_attachments").column("case_id").execute();

  const seed = async (table: "templates" | "states", names: string[], fallback: string) => {
    const typed = db as unknown as Kysely<Record<string, { name: string; is_default: number }>>;
    const existing = await typed.selectFrom(table).select("name").limit(1).execute();
    if (existing.length > 0) return;
    await typed
      .insertInto(table)
      .values(names.map((name) => ({ name, is_default: name === fallback ? 1 : 0 })))
      .execute();
  };
  await seed("templates", ["Steps", "Text", "BDD"], "Steps");
  await seed("states", ["Draft", "Review", "Active", "Retired"], "Active");
}
