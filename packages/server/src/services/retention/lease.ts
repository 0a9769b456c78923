import crypto from "node:crypto";
import os from "node:os";
import type { Kysely, Transaction } from "kysely";
import { findLease, releaseLease, renewLease, takeLease } from "../../storage/repositories/retention.js";
import type { Database } from "../../storage/schema.js";

type Db = Kysely<Database> | Transaction<Database>;

/** How long a lease lasts without renewal: a crashed holder's lease frees itself after this. */
export const LEASE_MS = 120_000;

export class LeaseBusyError extends Error {
  constructor(
    readonly holder: string,
    readonly expiresAt: string,
  ) {
    super(`Another retention pass is running (${holder}, its lease runs until ${expiresAt}). Try again later.`);
  }
}

export class LeaseLostError extends Error {}

/**
 * One runner of a job at a time across every instance sharing the database,
 * through the `job_leases` row `name`: taken when free (absent or expired),
 * renewed while working (every retention chunk renews it in its own
 * transaction), released at the end. Times are the instances' clocks
 * (ISO-8601 UTC); a lease lasts LEASE_MS, far beyond any clock skew that
 * matters. Each pass has a holder id of its own.
 */
export class JobLease {
  readonly holder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;

  constructor(
    private readonly db: Kysely<Database>,
    readonly name: string,
  ) {}

  /** Takes the lease or throws LeaseBusyError naming the holder. */
  async take(): Promise<void> {
    const now = Date.now();
    if (await takeLease(this.db, this.name, this.holder, new Date(now).toISOString(), expiry(now))) return;
    const current = await findLease(this.db, this.name);
    throw new LeaseBusyError(current?.holder ?? "unknown", current?.expires_at ?? new Date(now).toISOString());
  }

  /** Extends the lease (inside a chunk's transaction, so the chunk commits only while it is held). */
  async renew(db: Db = this.db): Promise<void> {
    if (!(await renewLease(db, this.name, this.holder, expiry(Date.now())))) {
      throw new LeaseLostError(`The ${this.name} lease expired and was taken by another instance; stopping this pass.`);
    }
  }

  async release(): Promise<void> {
    await releaseLease(this.db, this.name, this.holder);
  }
}

function expiry(now: number): string {
  return new Date(now + LEASE_MS).toISOString();
}
