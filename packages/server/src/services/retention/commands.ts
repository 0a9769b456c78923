import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { Config } from "../../config.js";
import type { Storage } from "../../storage/db.js";
import { sqliteAutoVacuum, vacuumSqlite } from "../../storage/repositories/retention.js";
import { AdminError } from "../admin.js";
import { StatusCatalog } from "../statuses.js";
import { LeaseBusyError } from "./lease.js";
import { type RetentionReport, runRetentionPass } from "./pass.js";

type WithStorage = (work: (storage: Storage, config: Config) => Promise<void>) => Promise<void>;

/**
 * `assay-server retention run [--dry-run] [--vacuum]`: the same pass as the
 * in-server job (and under the same lease, so never at the same time as
 * one), printing what it removes per project and source.
 */
export function registerRetentionCommands(program: Command, withStorage: WithStorage): void {
  const retention = program.command("retention").description("apply the projects' retention policies");
  retention
    .command("run")
    .description(
      "delete the automation runs that the retention policies expire, now (the server does it every ASSAY_RETENTION_INTERVAL_MINUTES)",
    )
    .option("--dry-run", "only print what would be removed; change nothing")
    .option(
      "--vacuum",
      "SQLite: afterwards rewrite the database file (VACUUM) so it shrinks, and switch a file created before retention existed to incremental auto-vacuum; best while the server is stopped",
    )
    .action((options: { dryRun?: boolean; vacuum?: boolean }) =>
      withStorage(async (storage, config) => {
        if (options.dryRun && options.vacuum) throw new AdminError("--dry-run changes nothing: leave out --vacuum.");
        const started = Date.now();
        let report: RetentionReport;
        try {
          report = await runRetentionPass(storage, await StatusCatalog.load(storage.db), { dryRun: options.dryRun });
        } catch (error) {
          if (error instanceof LeaseBusyError) throw new AdminError(error.message);
          throw error;
        }
        console.log(describe(report, Date.now() - started));
        if (options.vacuum) vacuum(storage, config);
      }),
    );
}

export function describe(report: RetentionReport, ms: number): string {
  const verb = report.dry_run ? "would remove" : "removed";
  const lines = report.sources.map((s) => {
    const policy = [
      s.policy.keep_days !== null ? `keep_days ${s.policy.keep_days}` : null,
      s.policy.keep_runs !== null ? `keep_runs ${s.policy.keep_runs}` : null,
    ]
      .filter(Boolean)
      .join(", ");
    const scope = s.policy.source_id === null ? "project-wide" : "own";
    return `Project ${s.project_id} "${s.project_name}", source ${s.source_id} "${s.source_name}" (${scope} policy: ${policy}): ${verb} ${s.runs} runs, ${s.tests} tests`;
  });
  if (report.sources.length === 0) lines.push(report.dry_run ? "Nothing would be removed." : "Nothing to remove.");
  else {
    const total = `${report.dry_run ? "Would remove" : "Removed"} ${report.runs} runs, ${report.tests} tests in total`;
    lines.push(report.dry_run ? `${total} (dry run: nothing changed).` : `${total} in ${(ms / 1000).toFixed(1)} s.`);
  }
  return lines.join("\n");
}

function vacuum(storage: Storage, config: Config): void {
  const mode = sqliteAutoVacuum(storage);
  if (mode === null) {
    console.log("--vacuum: PostgreSQL reuses the freed space itself (autovacuum); nothing to do.");
    return;
  }
  const file = path.join(config.dataDir, "assay.sqlite");
  const size = () => fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
  const before = size();
  vacuumSqlite(storage);
  const after = size();
  const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;
  const converted = mode !== 2 ? " (now in incremental auto-vacuum: later passes give space back by themselves)" : "";
  console.log(`Vacuumed ${file}: ${mib(before)} → ${mib(after)}${converted}.`);
}
