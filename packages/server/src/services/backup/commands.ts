import type { Command } from "commander";
import { loadConfig } from "../../config.js";
import { backup, restore } from "./backup.js";

/** `assay-server backup --to FILE` and `assay-server restore --from FILE` (embedded SQLite). */
export function registerBackupCommands(program: Command): void {
  program
    .command("backup")
    .description(
      "write a consistent copy of the SQLite database and the stored files (ASSAY_DATA_DIR) to one .tar.gz, while the server runs",
    )
    .requiredOption("--to <file>", "the backup file to write, e.g. assay-2026-01-31.tar.gz")
    .action(async (options: { to: string }) => {
      const config = loadConfig();
      const summary = await backup(config, options.to);
      console.log(
        `Backed up the database (${mebibytes(summary.databaseBytes)}) and ${summary.files} stored files to ${options.to}`,
      );
      if (config.s3) {
        console.log(
          "Attachments live in the S3 bucket (ASSAY_S3_BUCKET): protect them with its versioning or replication.",
        );
      }
    });
  program
    .command("restore")
    .description("unpack a backup into ASSAY_DATA_DIR, which must be empty or absent (stop the server first)")
    .requiredOption("--from <file>", "a file written by assay-server backup")
    .action(async (options: { from: string }) => {
      const config = loadConfig();
      const summary = await restore(config, options.from);
      console.log(
        `Restored the database (${mebibytes(summary.databaseBytes)}) and ${summary.files} stored files into ${config.dataDir}; start the server with ASSAY_DATA_DIR=${config.dataDir}`,
      );
    });
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
