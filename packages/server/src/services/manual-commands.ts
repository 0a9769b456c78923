import type { Command } from "commander";
import { ApiError } from "../errors.js";
import type { Storage } from "../storage/db.js";
import { AdminError, findUserIdByEmail } from "./admin.js";
import {
  addRunResult,
  addSessionResult,
  closeRun,
  closeSession,
  completeMilestone,
  createManualRun,
  createMilestone,
  createSession,
  testsOfRun,
} from "./manual-testing.js";
import { ROLE_IDS } from "./permissions.js";
import { StatusCatalog } from "./statuses.js";

type WithStorage = (work: (storage: Storage) => Promise<void>) => Promise<void>;

const SECOND = 1_000_000;

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AdminError(`"${value}" is not a positive whole number.`);
  return n;
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new AdminError(`"${value}" is not a number of seconds.`);
  return Math.round(n * SECOND);
}

/** The acting user: --email, or the first administrator. */
async function actor(storage: Storage, email: string | undefined): Promise<number> {
  if (email) return findUserIdByEmail(storage.db, email);
  const admin = await storage.db
    .selectFrom("users")
    .select("id")
    .where("role_id", "=", ROLE_IDS.administrator)
    .orderBy("id")
    .executeTakeFirst();
  if (!admin) throw new AdminError("There is no administrator yet. Start the server once, or pass --email.");
  return admin.id;
}

/** Service errors (422/404 with a message) become plain command errors. */
function run(withStorage: WithStorage, work: (storage: Storage) => Promise<void>) {
  return withStorage(async (storage) => {
    try {
      await storage.db.transaction().execute(async (trx) => work({ ...storage, db: trx }));
    } catch (error) {
      if (error instanceof ApiError) throw new AdminError(error.message);
      throw error;
    }
  });
}

/**
 * `assay-server milestone|run|session …`: Testmo's API cannot create
 * milestones, manual runs, results or sessions (its UI does), so the shell
 * does, through the same services as the demo.
 */
export function registerManualCommands(program: Command, withStorage: WithStorage): void {
  const by = ["--email <email>", "the acting user (default: the first administrator)"] as const;

  const milestone = program.command("milestone").description("manage milestones");
  milestone
    .command("create")
    .description("create a milestone and print its id")
    .requiredOption("--project <id>", "project id", positive)
    .requiredOption("--name <name>", "milestone name")
    .option("--type <id>", "milestone type id (default: the default type)", positive)
    .option("--parent <id>", "parent milestone id", positive)
    .option("--note <html>", "description")
    .option("--start-date <YYYY-MM-DD>", "planned start")
    .option("--due-date <YYYY-MM-DD>", "planned end")
    .option("--automation-tags <tags>", "comma-separated; automation runs with such a tag link to it", list)
    .option("--started", "mark it started")
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        const id = await createMilestone(storage.db, await actor(storage, o.email), o.project, {
          name: o.name,
          typeId: o.type,
          parentId: o.parent,
          note: o.note,
          startDate: o.startDate,
          dueDate: o.dueDate,
          automationTags: o.automationTags,
          started: o.started,
        });
        console.log(id);
      }),
    );
  milestone
    .command("complete")
    .description("complete a milestone")
    .requiredOption("--id <id>", "milestone id", positive)
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        await completeMilestone(storage.db, await actor(storage, o.email), o.id);
        console.log(`Completed milestone ${o.id}`);
      }),
    );

  const manualRun = program.command("run").description("manage manual test runs");
  manualRun
    .command("create")
    .description("create a run over repository cases; prints the run id, then one 'test <id> case <id>' line per test")
    .requiredOption("--project <id>", "project id", positive)
    .requiredOption("--name <name>", "run name")
    .requiredOption("--cases <ids>", "comma-separated repository case ids of the project", list)
    .option("--milestone <id>", "milestone id", positive)
    .option("--config <id>", "configuration id", positive)
    .option("--tags <tags>", "comma-separated tags", list)
    .option("--assignee <email>", "assign every test to this user")
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        const ids = (o.cases as string[]).map(positive);
        const cases = await storage.db
          .selectFrom("repository_cases")
          .select(["id", "name", "estimate"])
          .where("project_id", "=", o.project)
          .where("id", "in", ids)
          .execute();
        const missing = ids.filter((id) => !cases.some((c) => c.id === id));
        if (missing.length > 0) {
          throw new AdminError(`Cases ${missing.join(", ")} do not exist in project ${o.project}.`);
        }
        const assigneeId = o.assignee ? await findUserIdByEmail(storage.db, o.assignee) : null;
        const runId = await createManualRun(storage.db, await actor(storage, o.email), o.project, {
          name: o.name,
          milestoneId: o.milestone,
          configId: o.config,
          tags: o.tags,
          cases: ids.map((id) => {
            const c = cases.find((x) => x.id === id)!;
            return { caseId: id, name: c.name, estimate: c.estimate, assigneeId };
          }),
        });
        console.log(runId);
        for (const test of await testsOfRun(storage.db, runId)) console.log(`test ${test.id} case ${test.case_id}`);
      }),
    );
  manualRun
    .command("result")
    .description("add a result to a test of an open run and print its id")
    .requiredOption("--test <id>", "test id (printed by run create)", positive)
    .requiredOption("--status <id>", "status id: 2 passed, 3 failed, 4 retest, 5 blocked, 6 skipped, …", positive)
    .option("--note <html>", "comment")
    .option("--elapsed <seconds>", "time spent", seconds)
    .option("--assignee <email>", "assign the test to this user")
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        const statuses = await StatusCatalog.load(storage.db);
        const assigneeId = o.assignee ? await findUserIdByEmail(storage.db, o.assignee) : undefined;
        const id = await addRunResult(statuses, storage.db, await actor(storage, o.email), o.test, {
          statusId: o.status,
          note: o.note,
          elapsed: o.elapsed,
          assigneeId,
        });
        console.log(id);
      }),
    );
  manualRun
    .command("close")
    .description("close a run")
    .requiredOption("--id <id>", "run id", positive)
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        await closeRun(storage.db, await actor(storage, o.email), o.id);
        console.log(`Closed run ${o.id}`);
      }),
    );

  const session = program.command("session").description("manage exploratory sessions");
  session
    .command("create")
    .description("create a session and print its id")
    .requiredOption("--project <id>", "project id", positive)
    .requiredOption("--name <name>", "session name")
    .option("--template <id>", "session template id (default: the default template)", positive)
    .option("--milestone <id>", "milestone id", positive)
    .option("--config <id>", "configuration id", positive)
    .option("--assignee <email>", "the tester")
    .option("--estimate <seconds>", "planned duration", seconds)
    .option("--tags <tags>", "comma-separated tags", list)
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        const assigneeId = o.assignee ? await findUserIdByEmail(storage.db, o.assignee) : null;
        const id = await createSession(storage.db, await actor(storage, o.email), o.project, {
          name: o.name,
          templateId: o.template,
          milestoneId: o.milestone,
          configId: o.config,
          assigneeId,
          estimate: o.estimate,
          tags: o.tags,
        });
        console.log(id);
      }),
    );
  session
    .command("result")
    .description("record a finding of an open session and print its id")
    .requiredOption("--id <id>", "session id", positive)
    .requiredOption("--status <id>", "status id", positive)
    .option("--note <html>", "what was found")
    .option("--elapsed <seconds>", "time spent", seconds)
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        const statuses = await StatusCatalog.load(storage.db);
        const id = await addSessionResult(statuses, storage.db, await actor(storage, o.email), o.id, {
          statusId: o.status,
          note: o.note,
          elapsed: o.elapsed,
        });
        console.log(id);
      }),
    );
  session
    .command("close")
    .description("close a session")
    .requiredOption("--id <id>", "session id", positive)
    .option(...by)
    .action((o) =>
      run(withStorage, async (storage) => {
        await closeSession(storage.db, await actor(storage, o.email), o.id);
        console.log(`Closed session ${o.id}`);
      }),
    );
}
