import type { Storage } from "../../storage/db.js";
import {
  findCompletedRun,
  incrementalVacuum,
  PROJECT_WIDE,
  sqliteAutoVacuum,
  testCountsOfRuns,
} from "../../storage/repositories/retention.js";
import type { StatusCatalog } from "../statuses.js";
import { deleteRun, RetentionStopped } from "./delete-run.js";
import { JobLease } from "./lease.js";
import { planRetention } from "./plan.js";

/** The `job_leases` row of retention. */
export const RETENTION_LEASE = "retention";

/** Pages given back to the file system per step of `PRAGMA incremental_vacuum` (8 MiB of 4 KiB pages). */
const VACUUM_PAGES_PER_STEP = 2048;

export interface SourceRemoval {
  project_id: number;
  project_name: string;
  source_id: number;
  source_name: string;
  /** the policy applied: source_id null when it is the project-wide one */
  policy: { source_id: number | null; keep_days: number | null; keep_runs: number | null };
  runs: number;
  tests: number;
}

/** What a pass removed (or, dry, would remove): sources with something to remove, project by project. */
export interface RetentionReport {
  dry_run: boolean;
  runs: number;
  tests: number;
  sources: SourceRemoval[];
}

export interface PassOptions {
  dryRun?: boolean;
  /** checked between chunks; a run left half way is finished by the next pass */
  shouldStop?: () => boolean;
  log?: { info(message: string): void };
  now?: Date;
}

/**
 * One retention pass: the plan (plan.ts), then each expired run deleted in
 * chunks (delete-run.ts) under the job lease (lease.ts), then, on SQLite,
 * the freed pages given back to the file system. A dry run only plans and
 * counts: it changes nothing and needs no lease. Used by the in-server job
 * (scheduler.ts), `POST /x/retention/run` and `assay-server retention run`.
 */
export async function runRetentionPass(
  storage: Storage,
  statuses: StatusCatalog,
  options: PassOptions = {},
): Promise<RetentionReport> {
  const dryRun = options.dryRun ?? false;
  const report: RetentionReport = { dry_run: dryRun, runs: 0, tests: 0, sources: [] };
  const lease = dryRun ? null : new JobLease(storage.db, RETENTION_LEASE);
  await lease?.take();
  try {
    const plans = await planRetention(storage.db, options.now ?? new Date());
    for (const plan of plans) {
      if (plan.runs.length === 0) continue;
      const removal: SourceRemoval = {
        project_id: plan.projectId,
        project_name: plan.projectName,
        source_id: plan.sourceId,
        source_name: plan.sourceName,
        policy: {
          source_id: plan.policy.source_id === PROJECT_WIDE ? null : plan.policy.source_id,
          keep_days: plan.policy.keep_days,
          keep_runs: plan.policy.keep_runs,
        },
        runs: 0,
        tests: 0,
      };
      report.sources.push(removal);
      if (!lease) {
        const counts = await testCountsOfRuns(
          storage.db,
          plan.runs.map((r) => r.id),
        );
        removal.runs = plan.runs.length;
        for (const run of plan.runs) removal.tests += counts.get(run.id) ?? 0;
      } else {
        await lease.renew();
        const env = {
          storage,
          statuses,
          renewLease: (trx: Parameters<JobLease["renew"]>[0]) => lease.renew(trx),
          shouldStop: options.shouldStop ?? (() => false),
        };
        for (const expired of plan.runs) {
          if (env.shouldStop()) throw new RetentionStopped(`stopped before deleting automation run ${expired.id}`);
          const run = await findCompletedRun(storage.db, expired.id);
          if (!run) continue;
          removal.tests += await deleteRun(env, { id: run.id, projectId: run.project_id, commitSha: run.commit_sha });
          removal.runs++;
        }
      }
      report.runs += removal.runs;
      report.tests += removal.tests;
    }
    if (lease && report.runs > 0) await giveBackFreePages(storage, options);
    return report;
  } finally {
    await lease?.release();
  }
}

/**
 * SQLite keeps deleted pages in the file for reuse. With auto_vacuum
 * INCREMENTAL (every database created since retention exists) they go back
 * to the file system, a few MiB per short transaction; a file from before
 * stays as large as it is until `assay-server retention run --vacuum`.
 */
async function giveBackFreePages(storage: Storage, options: PassOptions): Promise<void> {
  const mode = sqliteAutoVacuum(storage);
  if (mode === null) return;
  if (mode !== 2) {
    options.log?.info(
      "retention: the SQLite file keeps the freed space for new data; `assay-server retention run --vacuum` shrinks it (docs/analytics.md, Retention)",
    );
    return;
  }
  let free = Number.POSITIVE_INFINITY;
  for (let step = 0; step < 100_000; step++) {
    const left = await incrementalVacuum(storage, VACUUM_PAGES_PER_STEP);
    if (left === 0 || left >= free) return;
    free = left;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
