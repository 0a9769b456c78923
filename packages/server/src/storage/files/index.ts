import path from "node:path";
import type { Config } from "../../config.js";
import { LocalFileStore } from "./local.js";
import type { FileStore } from "./store.js";

export { LocalFileStore } from "./local.js";
export * from "./store.js";

/**
 * The store the settings choose: the bucket of ASSAY_S3_BUCKET, else
 * `<ASSAY_DATA_DIR>/attachments`. The AWS SDK is loaded only for a bucket:
 * it takes about a second to import, which every start would pay.
 */
export async function createFileStore(config: Pick<Config, "dataDir" | "s3">): Promise<FileStore> {
  if (!config.s3) return new LocalFileStore(path.join(config.dataDir, "attachments"));
  const { S3FileStore } = await import("./s3.js");
  return new S3FileStore(config.s3);
}

/** createFileStore, checked: a start-up that cannot store files stops with a ConfigError saying why. */
export async function openFileStore(config: Pick<Config, "dataDir" | "s3">): Promise<FileStore> {
  const store = await createFileStore(config);
  try {
    await store.check();
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

/**
 * Removes the files of rows already deleted. The deletion is committed, so a
 * store that fails now must not fail the request: the files stay behind as
 * orphans, logged with their keys for the administrator to remove.
 */
export async function removeFilesOfDeletedRows(
  files: FileStore,
  log: { warn(details: object, message: string): void },
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  await files.remove(keys).catch((error: unknown) => {
    log.warn({ err: error, keys }, `could not remove ${keys.length} files of deleted rows from ${files.location}`);
  });
}
