import { INTEGRATION_TYPES } from "@assay/api";
import type { Kysely } from "kysely";
import type { Config } from "../config.js";
import type { AppContext } from "../context.js";
import type { FieldErrors } from "../errors.js";
import type { MutationResult } from "../plugins/idempotency.js";
import type { Storage } from "../storage/db.js";
import { type FileStore, openFileStore } from "../storage/files/index.js";
import { findOrCreateConfig } from "../storage/repositories/automation.js";
import type { Database } from "../storage/schema.js";
import { AdminError, createProject, createUser, setProjectAccess } from "./admin.js";
import { appendToThread, completeRun, createRun, createThread, resolveTests } from "./automation.js";
import { addGroupMembers, createGroup, setAccess } from "./identity.js";
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
import {
  createCases,
  createFolders,
  createIssueIntegration,
  insertAttachments,
  newStorageKey,
  resolveIssues,
} from "./repository.js";
import { StatusCatalog } from "./statuses.js";

/**
 * `assay-server demo`: a project named "Demo" full of realistic data, made
 * through the same service functions the API and the shell commands use: a
 * case repository in nested folders, milestones, manual runs with results by
 * several users, exploratory sessions, and 30 days of automation runs from
 * several sources (with flaky and slow tests). Deterministic: the same data
 * on every installation, dated relative to now.
 */

const DAY = 86_400_000;
const SECOND = 1_000_000; // µs

const STATUS = { passed: 2, failed: 3, retest: 4, blocked: 5, skipped: 6 } as const;

/** A small seeded PRNG (mulberry32): the demo is the same every time. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

const PEOPLE = [
  { email: "alice@demo.assay.test", name: "Alice Martin", role: "project-manager" },
  { email: "bob@demo.assay.test", name: "Bob Chen", role: "tester" },
  { email: "carla@demo.assay.test", name: "Carla Díaz", role: "tester" },
  { email: "dev@demo.assay.test", name: "Dev Patel", role: "tester" },
  { email: "ci@demo.assay.test", name: "CI Bot", role: "tester", isApi: true },
] as const;

const REPOSITORY: { folder: string; children: { folder: string; cases: string[] }[] }[] = [
  {
    folder: "Checkout",
    children: [
      {
        folder: "Cart",
        cases: ["Add an item to the cart", "Change the quantity of an item", "Remove the last item", "Apply a coupon"],
      },
      {
        folder: "Payment",
        cases: ["Pay by credit card", "Pay with PayPal", "Declined card shows a clear error", "3-D Secure challenge"],
      },
    ],
  },
  {
    folder: "Account",
    children: [
      { folder: "Sign-in", cases: ["Sign in with e-mail", "Sign in with SSO", "Lock out after five failures"] },
      { folder: "Profile", cases: ["Change the display name", "Change the password", "Delete the account"] },
    ],
  },
  {
    folder: "Search",
    children: [
      { folder: "Results", cases: ["Search by product name", "No results page", "Filter by price range"] },
      { folder: "Suggestions", cases: ["Suggestions while typing", "Typo tolerance"] },
    ],
  },
];

const AUTOMATION_SOURCES = [
  { source: "backend-unit", folders: ["orders", "payments", "inventory", "users"], tests: 40, threads: 2 },
  { source: "frontend-e2e", folders: ["checkout", "account", "search"], tests: 18, threads: 3 },
  { source: "api-contract", folders: ["v1.orders", "v1.users"], tests: 12, threads: 1 },
];

export interface DemoSummary {
  projectId: number;
  cases: number;
  milestones: number;
  runs: number;
  sessions: number;
  automationRuns: number;
}

/** Files of the demo's case attachments (written under the data directory like uploads). */
const ATTACHMENTS = [
  {
    name: "test-cards.csv",
    mimeType: "text/csv",
    content: "brand,number,expiry,result\nvisa,4242424242424242,12/30,approved\nvisa,4000000000000002,12/30,declined\n",
  },
  {
    name: "checkout-notes.txt",
    mimeType: "text/plain",
    content: "Use the staging shop with a fresh cart. Coupons: WELCOME10 (valid), EXPIRED5 (expired).\n",
  },
];

/** `options`: where the demo's attachment files go (ASSAY_DATA_DIR or ASSAY_S3_*). */
export async function runDemo(storage: Storage, options: Pick<Config, "dataDir" | "s3">): Promise<DemoSummary> {
  const { db } = storage;
  const existing = await db.selectFrom("projects").select("id").where("name", "=", "Demo").executeTakeFirst();
  if (existing) {
    throw new AdminError(
      `A project named "Demo" already exists (id ${existing.id}). Run the demo against a fresh data directory or database.`,
    );
  }
  const statuses = await StatusCatalog.load(db);
  // appendToThread stores tests through ctx.storage; nothing else of the context is used here.
  const ctx = { storage, statuses } as unknown as AppContext;
  const rng = random(20_26);
  const now = Date.now();
  const daysAgo = (days: number, hours = 10) => new Date(now - days * DAY + (hours - 12) * 3_600_000).toISOString();

  const admin = await db
    .selectFrom("users")
    .select("id")
    .where("role_id", "=", ROLE_IDS.administrator)
    .orderBy("id")
    .executeTakeFirst();
  if (!admin) {
    throw new AdminError(
      "There is no administrator yet. Start the server once (assay-server start), then run the demo.",
    );
  }
  const projectId = await createProject(db, {
    name: "Demo",
    note: "A web shop's testing, made up by `assay-server demo`.",
    createdBy: admin.id,
  });
  const users: number[] = [];
  for (const person of PEOPLE) {
    const known = await db.selectFrom("users").select("id").where("email", "=", person.email).executeTakeFirst();
    const id =
      known?.id ??
      (await createUser(db, {
        email: person.email,
        name: person.name,
        role: person.role,
        isApi: "isApi" in person,
        createdBy: admin.id,
      }));
    await setProjectAccess(db, projectId, id, person.role);
    users.push(id);
  }
  const [alice, bob, carla, dev, ci] = users as [number, number, number, number, number];
  const testers = [bob, carla, dev];
  // Groups (found again when an earlier demo database kept them): QA gets the tester role on the project.
  for (const [name, members, role] of [
    ["Demo QA", [bob, carla], "tester"],
    ["Demo developers", [dev, ci], "tester"],
  ] as const) {
    const known = await db.selectFrom("groups").select("id").where("name", "=", name).executeTakeFirst();
    const groupId = known?.id ?? (await createGroup(db, { name, createdBy: admin.id }));
    await addGroupMembers(db, groupId, members);
    await setAccess(db, projectId, { groupId }, role);
  }

  // ------------------------------------------------------------ issues, repository
  const tracker = await createIssueIntegration(db, {
    type: INTEGRATION_TYPES.github,
    name: "GitHub",
    connections: [{ name: "acme", projects: [{ name: "acme/webshop", key: "webshop" }] }],
  });
  const issue = async (displayId: string) => {
    const errors: FieldErrors = {};
    const [id] = await resolveIssues(
      db,
      alice,
      [{ display_id: displayId, integration_id: tracker.id, connection_project_id: tracker.projects[0]?.projectId }],
      "issues",
      errors,
    );
    return id!;
  };
  const issues = [await issue("#101"), await issue("#117"), await issue("#123"), await issue("#130")];

  const cases: { id: number; name: string; estimate: number }[] = [];
  for (const [order, top] of REPOSITORY.entries()) {
    const [parent] = await createFolders(db, alice, projectId, [
      { name: top.folder, docs: `Everything about ${top.folder.toLowerCase()}.`, display_order: order + 1 },
    ]);
    for (const child of top.children) {
      const [folder] = await createFolders(db, alice, projectId, [{ name: child.folder, parent_id: parent!.id }]);
      const inputs = child.cases.map((name) => ({
        name,
        folder_id: folder!.id,
        estimate: rng.int(2, 15) * 60 * SECOND,
        tags: [
          top.folder.toLowerCase(),
          ...(rng.chance(0.4) ? ["regression"] : []),
          ...(rng.chance(0.2) ? ["smoke"] : []),
        ],
        issues: rng.chance(0.15) ? [rng.pick(issues)] : [],
        custom_priority: rng.pick(["low", "normal", "high"]),
        custom_steps: [
          { step: `Open the ${child.folder.toLowerCase()} page`, expected: "The page loads" },
          { step: name, expected: "It works as specified" },
        ],
      }));
      const ids = await createCases(db, rng.pick([alice, bob]), projectId, inputs);
      ids.forEach((id, i) => {
        cases.push({ id, name: inputs[i]!.name, estimate: inputs[i]!.estimate });
      });
    }
  }
  const files = await openFileStore(options);
  try {
    await attachDemoFiles(db, files, alice, { id: cases[0]!.id, project_id: projectId });
  } finally {
    files.close();
  }

  // ------------------------------------------------------------ milestones, configurations
  const types = new Map(
    (await db.selectFrom("milestone_types").select(["id", "name"]).execute()).map((t) => [t.name, t.id]),
  );
  const configs: number[] = [];
  for (const name of ["Chrome / Linux", "Firefox / Windows", "Safari / macOS"]) {
    configs.push(await findOrCreateConfig(db, projectId, name, alice, daysAgo(40)));
  }
  const milestones = await db.transaction().execute(async (trx) => {
    const previous = await createMilestone(trx, alice, projectId, {
      name: "Release 1.9",
      typeId: types.get("Release"),
      note: "Spring release.",
      startDate: daysAgo(60).slice(0, 10),
      dueDate: daysAgo(25).slice(0, 10),
      automationTags: ["release-1.9"],
      started: true,
      at: daysAgo(60),
    });
    await completeMilestone(trx, alice, previous, daysAgo(24));
    const release = await createMilestone(trx, alice, projectId, {
      name: "Release 2.0",
      typeId: types.get("Release"),
      note: "New checkout and SSO sign-in.",
      startDate: daysAgo(30).slice(0, 10),
      dueDate: new Date(now + 14 * DAY).toISOString().slice(0, 10),
      automationTags: ["release-2.0"],
      links: [{ name: "Release plan", url: "https://example.com/plans/2.0", note: "Scope and dates" }],
      issueIds: [issues[0]!, issues[1]!],
      started: true,
      at: daysAgo(30),
    });
    const sprint14 = await createMilestone(trx, alice, projectId, {
      name: "Sprint 14",
      typeId: types.get("Sprint"),
      parentId: release,
      startDate: daysAgo(28).slice(0, 10),
      dueDate: daysAgo(15).slice(0, 10),
      automationTags: ["sprint-14"],
      started: true,
      at: daysAgo(29),
    });
    await completeMilestone(trx, alice, sprint14, daysAgo(14));
    const sprint15 = await createMilestone(trx, alice, projectId, {
      name: "Sprint 15",
      typeId: types.get("Sprint"),
      parentId: release,
      startDate: daysAgo(14).slice(0, 10),
      dueDate: new Date(now + DAY).toISOString().slice(0, 10),
      automationTags: ["sprint-15", "nightly"],
      issueIds: [issues[2]!],
      started: true,
      at: daysAgo(15),
    });
    return { previous, release, sprint14, sprint15 };
  });

  // ------------------------------------------------------------ manual runs with results
  const runPlans = [
    { name: "Release 1.9 regression", milestone: milestones.previous, days: 27, config: 0, close: 25, share: 1 },
    { name: "Sprint 14 acceptance", milestone: milestones.sprint14, days: 20, config: 0, close: 15, share: 1 },
    { name: "Checkout smoke (Firefox)", milestone: milestones.sprint14, days: 16, config: 1, close: 15, share: 1 },
    { name: "Sprint 15 acceptance", milestone: milestones.sprint15, days: 9, config: 0, close: null, share: 0.7 },
    {
      name: "Release 2.0 regression (Safari)",
      milestone: milestones.release,
      days: 4,
      config: 2,
      close: null,
      share: 0.5,
    },
    { name: "Exploratory follow-ups", milestone: null, days: 1, config: null, close: null, share: 0.2 },
  ];
  for (const plan of runPlans) {
    await db.transaction().execute(async (trx) => {
      const chosen = cases.filter(() => rng.chance(0.7));
      const runId = await createManualRun(trx, alice, projectId, {
        name: plan.name,
        milestoneId: plan.milestone,
        configId: plan.config === null ? null : configs[plan.config],
        tags: plan.milestone === milestones.previous ? ["regression"] : ["acceptance"],
        links: [{ name: "Test plan", url: "https://example.com/test-plans/checkout" }],
        issueIds: rng.chance(0.5) ? [rng.pick(issues)] : [],
        cases: chosen.map((c) => ({
          caseId: c.id,
          name: c.name,
          estimate: c.estimate,
          assigneeId: rng.chance(0.85) ? rng.pick(testers) : null,
        })),
        at: daysAgo(plan.days, 9),
      });
      const tests = await testsOfRun(trx, runId);
      for (const test of tests) {
        if (!rng.chance(plan.share)) continue;
        const end = plan.close ?? 0;
        const day = plan.days - Math.floor(rng.next() * Math.max(1, plan.days - end));
        const first = rng.pick([
          STATUS.passed,
          STATUS.passed,
          STATUS.passed,
          STATUS.failed,
          STATUS.blocked,
          STATUS.retest,
        ]);
        await addRunResult(statuses, trx, test.assignee_id ?? rng.pick(testers), test.id, {
          statusId: first,
          note: first === STATUS.passed ? null : `${first === STATUS.failed ? "Fails" : "Cannot run"}: see the issue.`,
          elapsed: rng.int(1, 20) * 60 * SECOND,
          issueIds: first === STATUS.failed ? [rng.pick(issues)] : [],
          at: daysAgo(day, 11),
        });
        if (first !== STATUS.passed && rng.chance(0.6)) {
          await addRunResult(statuses, trx, rng.pick(testers), test.id, {
            statusId: STATUS.passed,
            note: "Fixed; retested.",
            elapsed: rng.int(1, 10) * 60 * SECOND,
            at: daysAgo(Math.max(day - 1, end), 15),
          });
        }
      }
      if (plan.close !== null) await closeRun(trx, alice, runId, daysAgo(plan.close, 17));
    });
  }

  // ------------------------------------------------------------ exploratory sessions
  const sessionPlans = [
    { name: "Explore the new checkout", who: bob, milestone: milestones.sprint14, days: 18, close: 17 },
    { name: "SSO edge cases", who: carla, milestone: milestones.sprint15, days: 10, close: 9 },
    { name: "Search on slow networks", who: dev, milestone: milestones.sprint15, days: 6, close: null },
    { name: "Accessibility pass", who: carla, milestone: milestones.release, days: 3, close: null },
    { name: "Bug bash: payments", who: bob, milestone: null, days: 2, close: 1 },
  ];
  const templates = await db.selectFrom("session_templates").select(["id", "name"]).orderBy("id").execute();
  for (const plan of sessionPlans) {
    await db.transaction().execute(async (trx) => {
      const sessionId = await createSession(trx, alice, projectId, {
        name: plan.name,
        templateId: plan.name.startsWith("Bug bash") ? templates.at(-1)!.id : templates[0]!.id,
        milestoneId: plan.milestone,
        configId: rng.pick(configs),
        assigneeId: plan.who,
        estimate: 90 * 60 * SECOND,
        tags: ["exploratory"],
        issueIds: rng.chance(0.5) ? [rng.pick(issues)] : [],
        at: daysAgo(plan.days, 9),
      });
      const findings = rng.int(3, 8);
      for (let i = 0; i < findings; i++) {
        const statusId = rng.pick([STATUS.passed, STATUS.passed, STATUS.failed, STATUS.retest, STATUS.skipped]);
        await addSessionResult(statuses, trx, plan.who, sessionId, {
          statusId,
          note: statusId === STATUS.failed ? "Found a problem; filed an issue." : "Looks right.",
          elapsed: rng.int(5, 25) * 60 * SECOND,
          // during the session: the open ones began days ago, so no finding is dated later than now
          at: daysAgo(plan.close ?? plan.days, 10 + i),
        });
      }
      if (plan.close !== null) await closeSession(trx, plan.who, sessionId, daysAgo(plan.close, 18));
    });
  }

  // ------------------------------------------------------------ automation: 30 days, three sources
  let automationRuns = 0;
  for (let day = 29; day >= 0; day--) {
    for (const [s, source] of AUTOMATION_SOURCES.entries()) {
      if (source.source === "api-contract" && day % 2 === 1) continue;
      const milestoneTag = day >= 15 ? "sprint-14" : "sprint-15";
      const runId = await db.transaction().execute(async (trx) => {
        const created = await createRun(trx, ci, projectId, {
          name: `${source.source} #${30 - day}`,
          source: source.source,
          config: s === 1 ? "Chrome / Linux" : undefined,
          tags: [milestoneTag, ...(s === 0 ? ["nightly"] : [])],
          links: [{ name: "CI job", url: `https://ci.example.com/${source.source}/${30 - day}` }],
          fields: [
            { type: 1, name: "Commit", value: (0x1f2e3d4c + day * 7919 + s).toString(16) },
            { type: 1, name: "Branch", value: "main" },
          ],
        });
        const id = idOf(created);
        for (let t = 0; t < source.threads; t++) {
          const thread = idOf(await createThread(trx, ci, id, {}));
          const body = {
            elapsed_observed: 0,
            tests: Array.from({ length: Math.ceil(source.tests / source.threads) }, (_, i) => {
              const n = t * Math.ceil(source.tests / source.threads) + i;
              const flaky = n % 9 === 4;
              const slow = n % 11 === 7;
              const broken = n === 3 && day < 5;
              // A regression in every source's latest run: what a team opens first after a red build.
              const justBroken = n === 1 && day === 0;
              const failed = broken || justBroken || (flaky && rng.chance(0.3));
              const status = failed ? "failure" : rng.chance(0.02) ? "skipped" : "passed";
              const folder = source.folders[n % source.folders.length]!;
              return {
                key: `${source.source.replace(/[^a-z0-9]/g, "")}${n}`,
                name: `${folder.split(".").at(-1)} ${flaky ? "(flaky) " : ""}${slow ? "(slow) " : ""}case ${n}`,
                status,
                folder,
                elapsed: (slow ? rng.int(20, 45) * SECOND : rng.int(50, 900) * 1000) * (s === 1 ? 4 : 1),
                ...(status === "failure"
                  ? { fields: [demoFailure(rng, justBroken ? 3 : broken ? 0 : 1 + (n % 3), folder)] }
                  : {}),
              };
            }),
          };
          body.elapsed_observed = body.tests.reduce((sum, x) => sum + x.elapsed, 0);
          const tests = resolveTests(statuses, body);
          const target = await trx
            .selectFrom("automation_run_threads as th")
            .innerJoin("automation_runs as r", "r.id", "th.run_id")
            .select(["th.id", "th.run_id", "r.project_id", "r.source_id"])
            .where("th.id", "=", thread)
            .executeTakeFirstOrThrow();
          await appendToThread(ctx, trx, target, body, tests, daysAgo(day, 2 + s));
        }
        await completeRun(statuses, trx, ci, id, {});
        return id;
      });
      await backdateAutomationRun(db, runId, daysAgo(day, 2 + s));
      automationRuns++;
    }
  }

  return {
    projectId,
    cases: cases.length,
    milestones: Object.keys(milestones).length,
    runs: runPlans.length,
    sessions: sessionPlans.length,
    automationRuns,
  };
}

async function attachDemoFiles(
  db: Kysely<Database>,
  store: FileStore,
  userId: number,
  kase: { id: number; project_id: number },
) {
  const files = [];
  for (const file of ATTACHMENTS) {
    const storageKey = newStorageKey();
    await store.put(storageKey, { bytes: Buffer.from(file.content) }, file.mimeType);
    files.push({ name: file.name, mimeType: file.mimeType, size: Buffer.byteLength(file.content), storageKey });
  }
  await insertAttachments(db, userId, kase, files);
}

function idOf(result: MutationResult): number {
  return (result.body as { id: number }).id;
}

/** The automation service stamps "now"; the demo spreads its runs over past days. */
/**
 * Realistic failure texts with variable parts (ports, timings, ids), so the
 * demo's failure groups show several failures of one cause grouped together.
 */
function demoFailure(rng: ReturnType<typeof random>, cause: number, folder: string) {
  const frame = `    at ${folder}.Spec.run(${folder.split(".").at(-1)}Spec.java:${rng.int(20, 90)})`;
  const causes = [
    { type: "java.lang.AssertionError", message: `expected status 200 but was 500 (request ${rng.int(1000, 9999)})` },
    {
      type: "org.openqa.selenium.TimeoutException",
      message: `waited ${rng.int(5, 30)}s for element '#checkout-${rng.int(1, 99)}'`,
    },
    { type: "java.net.ConnectException", message: `Connection refused: localhost/127.0.0.1:${rng.int(30000, 60000)}` },
    { type: "java.lang.NullPointerException", message: `Cannot invoke "Order.total()" because "order" is null` },
  ];
  const { type, message } = causes[cause % causes.length]!;
  return {
    type: 4,
    name: "Failure",
    value: `${type}: ${message}\n${frame}\n    at org.junit.runners.ParentRunner.run(ParentRunner.java:413)`,
    meta: { type, message },
    is_highlight: true,
  };
}

async function backdateAutomationRun(db: Kysely<Database>, runId: number, at: string) {
  const start = Date.parse(at);
  const run = await db
    .selectFrom("automation_runs")
    .select("elapsed")
    .where("id", "=", runId)
    .executeTakeFirstOrThrow();
  const end = new Date(start + Math.floor((run.elapsed ?? 0) / 1000) + 60_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("automation_runs")
      .set({ created_at: at, completed_at: end, updated_at: end })
      .where("id", "=", runId)
      .execute();
    await trx
      .updateTable("automation_run_threads")
      .set({ created_at: at, completed_at: end })
      .where("run_id", "=", runId)
      .execute();
    await trx.updateTable("automation_run_tests").set({ created_at: at }).where("run_id", "=", runId).execute();
  });
}
