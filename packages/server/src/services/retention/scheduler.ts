import type { FastifyBaseLogger } from "fastify";
import type { Storage } from "../../storage/db.js";
import type { StatusCatalog } from "../statuses.js";
import { RetentionStopped } from "./delete-run.js";
import { LeaseBusyError } from "./lease.js";
import { runRetentionPass } from "./pass.js";

/** The first pass comes soon after start, so that restarts more frequent than the interval do not starve it. */
const FIRST_PASS_MS = 10_000;

export interface RetentionJob {
  /** Stops the timer and waits for a running pass to stop between two chunks (it releases its lease). */
  stop(): Promise<void>;
}

/**
 * The in-server retention job: a pass 10 seconds after start, then one every
 * `intervalMinutes` after the previous one ended (never two in one
 * instance); across instances the lease lets one pass run at a time, and
 * the others skip their turn. 0 minutes disables the job in this instance.
 */
export function startRetentionJob(deps: {
  storage: Storage;
  statuses: StatusCatalog;
  log: FastifyBaseLogger;
  intervalMinutes: number;
}): RetentionJob {
  const { storage, statuses, log, intervalMinutes } = deps;
  if (intervalMinutes === 0) return { stop: async () => {} };
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = null;
        schedule(intervalMinutes * 60_000);
      });
    }, ms);
    timer.unref();
  };

  async function pass(): Promise<void> {
    const started = Date.now();
    try {
      const report = await runRetentionPass(storage, statuses, {
        shouldStop: () => stopped,
        log: { info: (message) => log.info(message) },
      });
      if (report.runs > 0) {
        log.info(
          { runs: report.runs, tests: report.tests, ms: Date.now() - started },
          `retention: removed ${report.runs} automation runs (${report.tests} tests)`,
        );
      }
    } catch (error) {
      if (error instanceof LeaseBusyError) log.debug(`retention: ${error.message}`);
      else if (error instanceof RetentionStopped) log.info(`retention: ${error.message} (server stopping)`);
      else log.error({ err: error }, "retention pass failed; the next pass tries again");
    }
  }

  schedule(Math.min(FIRST_PASS_MS, intervalMinutes * 60_000));
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
