import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";

/** SQLite's own automatic checkpoint threshold (pages), restored should the background checkpointer fail. */
const AUTOMATIC_CHECKPOINT_PAGES = 1000;
/** Commits within this long share one checkpoint: fewer syncs, and pages written twice are copied once. */
const MIN_INTERVAL_MS = 100;

/** What `PRAGMA wal_checkpoint` reports: frames in the WAL, and how many of them are now in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** Where the checkpointer reports a failed checkpoint or worker (the server's log). */
export type CheckpointLogger = (message: string, error?: unknown) => void;

/**
 * Runs SQLite's WAL checkpoints on a worker thread with a connection of its own.
 *
 * better-sqlite3 is synchronous, so a checkpoint on the server's connection stops the event loop while it copies
 * the WAL into the database file and syncs both to disk. Left to SQLite (a checkpoint inside the commit that takes
 * the WAL past 1,000 pages), that is most commits of a bulk upload: on a disk whose sync takes half a millisecond
 * it was a third of ingest time, and every other request waited through it (docs/decisions.md, decision 47). Here the server's connection never checkpoints; each commit nudges the worker, which runs a PASSIVE
 * checkpoint (it waits for no reader or writer, so it never blocks the server) at most every MIN_INTERVAL_MS.
 *
 * Durability is unchanged: the worker's connection uses the server's `synchronous` setting, and a checkpoint is the
 * same operation whichever connection runs it. Should the worker fail, the server's connection goes back to
 * SQLite's automatic checkpoints, so the WAL cannot grow without bound.
 */
export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private inFlight = false;
  private wanted = false;
  private timer: NodeJS.Timeout | null = null;
  private lastStarted = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  /** The last checkpoint's report; with the counts, what GET /metrics shows (plugins/metrics.ts). */
  last: CheckpointResult | null = null;
  completed = 0;
  failed = 0;

  constructor(
    private readonly sqlite: SQLite.Database,
    file: string,
    synchronous: "normal" | "full",
    private readonly log: CheckpointLogger,
  ) {
    sqlite.pragma("wal_autocheckpoint = 0");
    const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(`(${checkpointWorker.toString()})()`, {
      eval: true,
      workerData: { driverPath, file, synchronous },
    });
    // The worker must not keep a process alive that has nothing else to do (a CLI command, a test).
    this.worker.unref();
    this.worker.on("message", (message: CheckpointResult | { error: string }) => this.finished(message));
    this.worker.on("error", (error) => this.fail("the checkpoint worker failed", error));
    this.worker.on("exit", (code) => {
      if (!this.stopped) this.fail(`the checkpoint worker exited with code ${code}`);
    });
  }

  /** A transaction has committed: checkpoint soon. */
  nudge(): void {
    if (this.stopped) return;
    this.wanted = true;
    if (this.inFlight || this.timer) return;
    const wait = this.lastStarted + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.start();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, wait);
    this.timer.unref();
  }

  /** Resolves once no checkpoint is running or wanted (tests, and closing in order). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Finishes the running checkpoint, if any, and stops the worker; the connection's own close does the last one. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wanted = false;
    await this.idle();
    this.stopped = true;
    await this.worker.terminate();
  }

  private start(): void {
    if (this.stopped || this.inFlight || !this.wanted) return;
    this.wanted = false;
    this.inFlight = true;
    this.lastStarted = Date.now();
    this.worker.ref(); // a checkpoint under way finishes before the process may exit
    this.worker.postMessage("checkpoint");
  }

  private finished(message: CheckpointResult | { error: string }): void {
    this.inFlight = false;
    this.worker.unref();
    if ("error" in message) {
      // A failed checkpoint (an I/O error, say) loses nothing: the frames stay in the WAL for the next one.
      this.failed++;
      this.log(`a WAL checkpoint failed: ${message.error}`);
    } else {
      this.completed++;
      this.last = message;
    }
    if (this.wanted) this.nudge();
    else this.settle();
  }

  /** True while the worker checkpoints; false once it failed and SQLite checkpoints on its own again. */
  get running(): boolean {
    return !this.stopped;
  }

  private fail(message: string, error?: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.failed++;
    this.inFlight = false;
    if (this.timer) clearTimeout(this.timer);
    this.log(`${message}; SQLite checkpoints on the server's connection again`, error);
    try {
      this.sqlite.pragma(`wal_autocheckpoint = ${AUTOMATIC_CHECKPOINT_PAGES}`);
    } catch {
      // the connection is closing; nothing left to checkpoint for
    }
    this.settle();
  }

  private isIdle(): boolean {
    return !this.inFlight && !this.timer && (!this.wanted || this.stopped);
  }

  private settle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/**
 * The worker's whole program. It is sent as source text (`eval`), so it can import nothing: it loads the driver
 * from the path the server resolved, and reaches the thread API through `require`.
 */
function checkpointWorker(): void {
  const { parentPort, workerData } = require("node:worker_threads") as typeof import("node:worker_threads");
  const Driver = require(workerData.driverPath) as typeof SQLite;
  const db = new Driver(workerData.file, { fileMustExist: true });
  db.pragma(`synchronous = ${workerData.synchronous === "full" ? "FULL" : "NORMAL"}`);
  parentPort!.on("message", () => {
    try {
      const [row] = db.pragma("wal_checkpoint(PASSIVE)") as CheckpointResult[];
      parentPort!.postMessage(row);
    } catch (error) {
      parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  });
}
