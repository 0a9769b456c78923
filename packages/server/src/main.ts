#!/usr/bin/env node
import fs from "node:fs";
import { Command, Option } from "commander";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { PASSWORD_RULE } from "./lib/passwords.js";
import { StartupError, startServer } from "./server.js";
import {
  AdminError,
  bootstrap,
  createProject,
  createToken,
  createUser,
  findUserIdByEmail,
  ROLE_NAMES,
  revokeToken,
} from "./services/admin.js";
import { BackupError } from "./services/backup/backup.js";
import { registerBackupCommands } from "./services/backup/commands.js";
import { runDemo } from "./services/demo.js";
import { addGroupMembers, createGroup, setAccess } from "./services/identity.js";
import { registerManualCommands } from "./services/manual-commands.js";
import { registerRetentionCommands } from "./services/retention/commands.js";
import { createLink, hashNewPassword, listeningOrigin, storePassword } from "./services/web-auth.js";
import { openStorage, type Storage } from "./storage/db.js";
import { migrateToLatest } from "./storage/migrate.js";

/** Set by `start`: its configuration and start-up errors read "cannot start: …". */
let startingServer = false;

/** `assay-server`: runs the server and manages users, tokens and projects from the shell. */
const program = new Command("assay-server")
  .description("Assay test management server (Testmo API v1 compatible). Configured by ASSAY_* environment variables.")
  .version(packageVersion(), "-V, --version", "print the version")
  // No command prints this usage (exit 1); a mistyped one also gets a "Did you mean …?".
  .showHelpAfterError()
  .showSuggestionAfterError()
  .addHelpText(
    "after",
    "\nStart the server: assay-server start (from a checkout: npm start). Operations: docs/operations.md",
  );

program
  .command("start")
  .description("start the server (creates the database, an administrator, a first project and a token on first start)")
  .action(async () => {
    startingServer = true;
    const config = loadConfig();
    const server = await startServer(config);
    if (server.generatedToken) {
      process.stdout.write(
        `\n  Assay is ready. Administrator API token (shown only this once, store it safely):\n\n    ${server.generatedToken}\n\n` +
          `  Try: curl -H "Authorization: Bearer ${server.generatedToken}" ${server.url}/api/v1/projects\n\n`,
      );
    }
    if (server.adminPasswordLink) process.stdout.write(passwordLinkText(config.adminEmail, server.adminPasswordLink));
    let stopping = false;
    const stop = async (signal: string) => {
      // A repeated signal changes nothing: npm and process-group kills (systemd, Ctrl-C) often deliver two.
      if (stopping) return;
      stopping = true;
      const grace = config.shutdownGraceSeconds;
      server.app.log.info(`${signal} received: finishing open requests (up to ${grace} s), then stopping`);
      const finished = await server.shutdown(grace);
      if (!finished)
        server.app.log.error(`open requests still running after ${grace} s (ASSAY_SHUTDOWN_GRACE_SECONDS): cut`);
      process.exit(finished ? 0 : 1);
    };
    process.on("SIGINT", () => void stop("SIGINT"));
    process.on("SIGTERM", () => void stop("SIGTERM"));
    // Only now: whoever waits for this line may signal at once, and must reach the handlers above.
    process.stdout.write(`Assay listening on ${server.url}\n`);
  });

const roleOption = new Option("--role <role>", "global role").choices(Object.keys(ROLE_NAMES)).default("tester");

const user = program.command("user").description("manage users");
user
  .command("create")
  .description("create a user and print its id")
  .requiredOption("--email <email>", "e-mail address (unique)")
  .requiredOption("--name <name>", "display name")
  .addOption(roleOption)
  .option("--api", "a dedicated API user (is_api)")
  .option("--token <name>", "also create an API token with this name and print it")
  .action((options) =>
    withStorage(async ({ db }) => {
      const id = await createUser(db, {
        email: options.email,
        name: options.name,
        role: options.role,
        isApi: options.api,
      });
      console.log(`Created user ${id} (${options.email}, ${options.role})`);
      if (options.token) console.log(await createToken(db, id, options.token));
    }),
  );

user
  .command("password")
  .description(
    "set a user's password for the web UI: prints a one-time link (valid 7 days) to set it in the browser, or with --password-stdin reads it from standard input",
  )
  .requiredOption("--email <email>", "the user's e-mail")
  .option("--password-stdin", `read the password from standard input (its first line; ${PASSWORD_RULE.toLowerCase()})`)
  .action((options) =>
    withStorage(async ({ db }, config) => {
      const userId = await findUserIdByEmail(db, options.email);
      if (options.passwordStdin) {
        const hash = await hashNewPassword(await readFirstLine(process.stdin));
        await db.transaction().execute((trx) => storePassword(trx, userId, hash));
        console.log(`Set the password of ${options.email}; their web sessions were ended.`);
        return;
      }
      const link = await createLink(db, userId, "password", null);
      console.log(config.publicUrl ? `${config.publicUrl}${link.path}` : link.path);
      console.error(
        config.publicUrl
          ? `One-time link for ${options.email}, valid until ${link.expiresAt}.`
          : `One-time link for ${options.email}, valid until ${link.expiresAt}: open it on the server's address, e.g. ${listeningOrigin(config, config.port)}${link.path} (set ASSAY_PUBLIC_URL to print the full link).`,
      );
    }),
  );

const token = program.command("token").description("manage API tokens");
token
  .command("create")
  .description("create an API token for a user and print it (it is shown only once)")
  .requiredOption("--email <email>", "the user's e-mail")
  .requiredOption("--name <name>", "a name that says where the token is used, e.g. 'CI'")
  .action((options) =>
    withStorage(async ({ db }) => {
      console.log(await createToken(db, await findUserIdByEmail(db, options.email), options.name));
    }),
  );
token
  .command("list")
  .description("list API tokens: id, name, owner, created, last used and revoked (never the token itself)")
  .option("--email <email>", "only this user's tokens")
  .action((options) =>
    withStorage(async ({ db }) => {
      let query = db
        .selectFrom("api_tokens")
        .innerJoin("users", "users.id", "api_tokens.user_id")
        .select([
          "api_tokens.id",
          "api_tokens.name",
          "users.email",
          "api_tokens.created_at",
          "api_tokens.last_used_at",
          "api_tokens.revoked_at",
        ])
        .orderBy("api_tokens.id");
      if (options.email) query = query.where("api_tokens.user_id", "=", await findUserIdByEmail(db, options.email));
      const rows = await query.execute();
      console.log(
        table(
          ["ID", "NAME", "OWNER", "CREATED", "LAST USED", "REVOKED"],
          rows.map((r) => [
            String(r.id),
            r.name,
            r.email,
            r.created_at,
            r.last_used_at ?? "never",
            r.revoked_at ?? "-",
          ]),
        ),
      );
    }),
  );
token
  .command("revoke")
  .description("revoke a token by id; requests with it then get 401")
  .requiredOption("--id <id>", "token id", parsePositive)
  .action((options) =>
    withStorage(async ({ db }) => {
      await revokeToken(db, options.id);
      console.log(`Revoked token ${options.id}`);
    }),
  );

const project = program.command("project").description("manage projects");
project
  .command("create")
  .description("create a project and print its id")
  .requiredOption("--name <name>", "project name")
  .option("--note <note>", "description")
  .action((options) =>
    withStorage(async ({ db }) => {
      console.log(await createProject(db, { name: options.name, note: options.note }));
    }),
  );
project
  .command("access")
  .description(
    "give a user (--email), a group (--group) or everyone (--default) a role in one project; --role none removes access, --role global removes the override",
  )
  .requiredOption("--project <id>", "project id", parsePositive)
  .option("--email <email>", "the user's e-mail")
  .option("--group <id>", "a group id (members get the role unless they have a user override)", parsePositive)
  .option("--default", "the project's default for everyone without a user or group override")
  .requiredOption("--role <role>", `${Object.keys(ROLE_NAMES).join(", ")}, none or global`)
  .action((options) =>
    withStorage(async ({ db }) => {
      const targets = [options.email, options.group, options.default].filter((t) => t !== undefined);
      if (targets.length !== 1) throw new AdminError("Name exactly one of --email, --group or --default.");
      const role = options.role === "none" ? null : options.role;
      const what =
        options.role === "none" ? "no access" : options.role === "global" ? "their global role" : options.role;
      const target = options.email
        ? { userId: await findUserIdByEmail(db, options.email) }
        : options.group
          ? { groupId: options.group as number }
          : { projectDefault: true as const };
      await setAccess(db, options.project, target, role);
      const who = options.email ? `User ${options.email}` : options.group ? `Group ${options.group}` : "Everyone else";
      console.log(`${who} now has ${what} in project ${options.project}`);
    }),
  );

const group = program.command("group").description("manage groups of users");
group
  .command("create")
  .description("create a group and print its id")
  .requiredOption("--name <name>", "group name (unique)")
  .action((options) =>
    withStorage(async ({ db }) => {
      console.log(await createGroup(db, { name: options.name }));
    }),
  );
group
  .command("add-member")
  .description("add a user to a group")
  .requiredOption("--group <id>", "group id", parsePositive)
  .requiredOption("--email <email>", "the user's e-mail")
  .action((options) =>
    withStorage(async ({ db }) => {
      await addGroupMembers(db, options.group, [await findUserIdByEmail(db, options.email)]);
      console.log(`User ${options.email} is a member of group ${options.group}`);
    }),
  );

program
  .command("demo")
  .description('fill a new project named "Demo" with realistic data: cases, milestones, runs, sessions, automation')
  .action(() =>
    withStorage(async (storage, config) => {
      // Before the first start too: the demo then makes the administrator and prints the token.
      const { generatedToken, createdAdminId } = await bootstrap(storage.db, {
        adminEmail: config.adminEmail,
        adminToken: config.adminToken,
      });
      if (generatedToken) {
        console.log(
          `Created the administrator (${config.adminEmail}). API token (shown only this once, store it safely):\n\n    ${generatedToken}\n`,
        );
      }
      if (createdAdminId) {
        const link = await createLink(storage.db, createdAdminId, "password", null);
        process.stdout.write(
          passwordLinkText(config.adminEmail, `${listeningOrigin(config, config.port)}${link.path}`),
        );
      }
      const summary = await runDemo(storage, config);
      console.log(
        `Created project "Demo" (id ${summary.projectId}): ${summary.cases} cases, ${summary.milestones} milestones, ` +
          `${summary.runs} runs, ${summary.sessions} sessions, ${summary.automationRuns} automation runs`,
      );
    }),
  );

registerManualCommands(program, withStorage);
registerRetentionCommands(program, withStorage);
registerBackupCommands(program);

/** Columns padded to their widest cell, for terminals; the last column is not padded. */
function table(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all
    .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join("  "))
    .join("\n");
}

function packageVersion(): string {
  const file = new URL("../package.json", import.meta.url);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

function passwordLinkText(email: string, link: string): string {
  return (
    `  Set the administrator's password for the web UI (${email}) once, within 7 days, at:\n\n    ${link}\n\n` +
    `  or from the shell: npx assay-server user password --email ${email}\n\n`
  );
}

/** The first line of a stream (a password piped in), without its line break. */
async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes("\n")) break;
  }
  return text.split(/\r?\n/)[0] ?? "";
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AdminError(`"${value}" is not a positive whole number.`);
  return n;
}

async function withStorage(work: (storage: Storage, config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig();
  const storage = openStorage(config);
  try {
    await migrateToLatest(storage);
    await work(storage, config);
  } finally {
    await storage.close();
  }
}

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) {
    console.error(`assay-server: ${startingServer ? "cannot start: " : ""}${error.message}`);
  } else if (error instanceof AdminError || error instanceof BackupError) {
    console.error(`assay-server: ${error.message}`);
  } else if (process.env.ASSAY_LOG_LEVEL === "debug" || process.env.ASSAY_LOG_LEVEL === "trace") {
    console.error("assay-server:", error);
  } else {
    // One sentence, no stack trace: ASSAY_LOG_LEVEL=debug shows the details.
    const message = error instanceof Error ? error.message : String(error);
    console.error(`assay-server: ${message} (ASSAY_LOG_LEVEL=debug shows the details)`);
  }
  process.exit(1);
});
