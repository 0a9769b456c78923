import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../../config.js";
import { type FileSource, type FileStore, FileStoreUnavailableError, type OpenedFile } from "./store.js";

/** Files under `<ASSAY_DATA_DIR>/attachments/`, one per key: the default store. */
export class LocalFileStore implements FileStore {
  readonly location: string;

  constructor(readonly dir: string) {
    this.location = `the directory ${dir} (ASSAY_DATA_DIR)`;
  }

  async check(): Promise<void> {
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      await fs.promises.access(this.dir, fs.constants.W_OK);
    } catch (error) {
      throw new ConfigError(
        `ASSAY_DATA_DIR: the attachments directory ${this.dir} cannot be written (${errorCode(error)}); fix its permissions or choose another ASSAY_DATA_DIR.`,
      );
    }
  }

  async put(key: string, source: FileSource): Promise<void> {
    const target = this.file(key);
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      if ("path" in source) await moveFile(source.path, target);
      else await fs.promises.writeFile(target, source.bytes);
    } catch (error) {
      await fs.promises.rm(target, { force: true }).catch(() => {});
      throw this.unavailable("stored", error);
    }
  }

  async open(key: string): Promise<OpenedFile | null> {
    const file = this.file(key);
    const stat = await fs.promises.stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw this.unavailable("read", error);
    });
    return stat ? { stream: fs.createReadStream(file), size: stat.size } : null;
  }

  async remove(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => fs.promises.rm(this.file(key), { force: true })));
  }

  close(): void {}

  private file(key: string): string {
    return path.join(this.dir, path.basename(key));
  }

  private unavailable(verb: string, error: unknown): FileStoreUnavailableError {
    return new FileStoreUnavailableError(
      `The file could not be ${verb} in the server's data directory (${errorCode(error)}); nothing was changed. Retry later; if it persists, the administrator should check the free space and permissions of ASSAY_DATA_DIR.`,
    );
  }
}

/** Rename when source and target share a file system (uploads are received inside the data directory), else copy. */
async function moveFile(source: string, target: string): Promise<void> {
  try {
    await fs.promises.rename(source, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await fs.promises.copyFile(source, target);
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error instanceof Error ? error.message : String(error));
}
