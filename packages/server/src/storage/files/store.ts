import type { Readable } from "node:stream";
import { ApiError } from "../../errors.js";

/** What a stored file is made from: a file on local disk (moved or copied), or bytes. */
export type FileSource = { path: string } | { bytes: Uint8Array };

export interface OpenedFile {
  stream: Readable;
  size: number;
}

/**
 * Where uploaded files live: the local data directory or an S3-compatible
 * bucket. Keys are opaque (the attachment's storage_key). Failures of the
 * store itself are FileStoreUnavailableError: a 503 the client may retry.
 */
export interface FileStore {
  /** Says where files go, for logs and messages. */
  readonly location: string;
  /** At start-up: throws a ConfigError, one sentence naming the setting, when the store cannot be used. */
  check(): Promise<void>;
  put(key: string, source: FileSource, contentType: string): Promise<void>;
  /** null when there is no such file */
  open(key: string): Promise<OpenedFile | null>;
  /** Removes files; a file already gone is not an error. */
  remove(keys: readonly string[]): Promise<void>;
  close(): void;
}

/** How long a client should wait before retrying a request the store could not serve. */
export const STORE_RETRY_AFTER_SECONDS = 10;

/** 503 + Retry-After: the file store (disk or bucket) failed; the request was not applied. */
export class FileStoreUnavailableError extends ApiError {
  constructor(message: string) {
    super(503, message, undefined, { "retry-after": String(STORE_RETRY_AFTER_SECONDS) });
  }
}
