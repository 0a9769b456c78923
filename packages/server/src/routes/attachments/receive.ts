import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LIMITS } from "@assay/api";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import { ApiError, InvalidDataError, invalidField } from "../../errors.js";
import { FileStoreUnavailableError } from "../../storage/files/index.js";

/** `type/subtype` as RFC 6838 allows it; anything else is refused. */
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export interface ReceivedFile {
  name: string;
  mimeType: string;
  size: number;
  /** the file as received, in the request's spool directory */
  spooled: string;
}

export interface ReceiveLimits {
  /** accepted multipart field names; the first is the one named in messages */
  fields: string[];
  /** files kept; later ones are read and dropped (Testmo keeps the first 20) */
  keep: number;
  /** file parts a request may carry at all (ASSAY_MAX_UPLOAD_FILES) */
  maxFiles: number;
  /** bytes of the whole body (ASSAY_MAX_BODY_MB) */
  maxBytes: number;
}

/**
 * Reads a multipart upload into `spoolDir`, checking the limits of the whole
 * request as it goes: nothing reaches the file store before the entire body
 * was read and found acceptable. Throws 413 (body or file count over the
 * limit), 422 (unreadable body, bad content type, no file) or 503 (the spool
 * disk failed); the caller removes `spoolDir` in every case.
 */
export async function receiveFiles(
  request: FastifyRequest,
  limits: ReceiveLimits,
  spoolDir: string,
): Promise<ReceivedFile[]> {
  const field = limits.fields[0]!;
  if (!request.isMultipart()) {
    throw new InvalidDataError(
      `Send the file${limits.keep > 1 ? "s" : ""} as multipart/form-data in the field "${field}".`,
    );
  }
  const declared = Number(request.headers["content-length"]);
  if (declared > limits.maxBytes) {
    discardRestOfBody(request);
    throw bodyTooLarge(field, limits.maxBytes);
  }
  const files: ReceivedFile[] = [];
  const unexpected = new Set<string>();
  const counter = new ByteCounter(field, limits.maxBytes);
  let parts = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type !== "file") {
        counter.add(Buffer.byteLength(String(part.value ?? "")));
        continue;
      }
      if (++parts > limits.maxFiles) throw tooManyFiles(field, limits.maxFiles);
      if (!limits.fields.includes(part.fieldname)) unexpected.add(part.fieldname);
      const keep = limits.fields.includes(part.fieldname) && files.length < limits.keep;
      const file = await receivePart(part, keep, counter, spoolDir);
      if (file) files.push(file);
    }
  } catch (error) {
    discardRestOfBody(request);
    throw classify(error, field);
  }
  if (files.length === 0) {
    const also = unexpected.size > 0 ? ` (got files in ${[...unexpected].map((f) => `"${f}"`).join(", ")})` : "";
    throw invalidField(
      field,
      `No file was uploaded in the multipart field "${field}"${also}. Send ${limits.keep > 1 ? `1 to ${limits.keep} files` : "one file"} in "${field}".`,
    );
  }
  return files;
}

/** One file part: spooled when kept, else read and dropped; either way its bytes count. */
async function receivePart(
  part: MultipartFile,
  keep: boolean,
  counter: ByteCounter,
  spoolDir: string,
): Promise<ReceivedFile | null> {
  counter.current = part.filename;
  if (!keep) {
    await pipeline(part.file, counter.stream(), discard());
    return null;
  }
  const mimeType = part.mimetype || "application/octet-stream";
  if (!MIME_TYPE.test(mimeType)) {
    throw invalidField(
      counter.field,
      `The content type "${mimeType.slice(0, 100)}" of "${part.filename}" is not a valid MIME type. Send type/subtype, e.g. image/png.`,
    );
  }
  const spooled = path.join(spoolDir, crypto.randomUUID());
  await pipeline(part.file, counter.stream(), fs.createWriteStream(spooled));
  if (part.file.truncated) throw bodyTooLarge(counter.field, counter.max, part.filename);
  return { name: fileName(part.filename), mimeType: mimeType.toLowerCase(), size: counter.lastSize, spooled };
}

/** Options for @fastify/multipart: its own limits sit just above ours, so ours answer first. */
export function parserLimits(maxBytes: number, maxFiles: number) {
  return { fileSize: maxBytes + 1, files: maxFiles + 1, fields: 100, fieldSize: 64 * 1024, parts: maxFiles + 101 };
}

/**
 * Our own errors pass; a failing spool disk (its errors carry a syscall) is
 * the server's fault: 503, retryable. Anything else is a body the multipart
 * parser could not read (no boundary, cut short, malformed headers): 422.
 */
function classify(error: unknown, field: string): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof Error && "syscall" in error) {
    return new FileStoreUnavailableError(
      `The upload could not be received: the server's disk failed (${(error as NodeJS.ErrnoException).code}). Nothing was stored; retry later.`,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new InvalidDataError(
    `The multipart/form-data body could not be read (${reason}). Send a well-formed multipart body with the file in the field "${field}".`,
  );
}

/** The whole request's bytes, counted through every file part in turn. */
class ByteCounter {
  total = 0;
  lastSize = 0;
  current: string | undefined;

  constructor(
    readonly field: string,
    readonly max: number,
  ) {}

  add(bytes: number): void {
    this.total += bytes;
    if (this.total > this.max) throw bodyTooLarge(this.field, this.max, this.current);
  }

  stream(): Transform {
    this.lastSize = 0;
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.lastSize += chunk.length;
        try {
          this.add(chunk.length);
          done(null, chunk);
        } catch (error) {
          done(error as Error);
        }
      },
    });
  }
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

function bodyTooLarge(field: string, maxBytes: number, during?: string): ApiError {
  const where = during === undefined ? "" : ` (the limit was passed while reading "${during}")`;
  return tooLarge(
    field,
    `The upload is larger than ${maxBytes / 1024 / 1024} MiB, the most this server accepts in one request (ASSAY_MAX_BODY_MB)${where}. Nothing was stored: send fewer or smaller files per request.`,
  );
}

function tooManyFiles(field: string, maxFiles: number): ApiError {
  return tooLarge(
    field,
    `The upload contains more than ${maxFiles} files, the most this server accepts in one request (ASSAY_MAX_UPLOAD_FILES). Nothing was stored: send at most ${maxFiles} files per request.`,
  );
}

/** 413 `{message, errors}`. */
function tooLarge(field: string, message: string): ApiError {
  return new ApiError(413, message, { [field]: [message] });
}

/**
 * A rejected body is read to its end and dropped, as Fastify does for JSON:
 * HTTP clients (Node's fetch among them) report a connection closed while
 * they still send as a network error, and the 413 or 422 would be lost.
 */
function discardRestOfBody(request: FastifyRequest): void {
  const raw = request.raw;
  if (raw.complete) return;
  raw.unpipe();
  raw.resume();
}

/**
 * The client's file name without any directory part, bounded in length. A NUL
 * becomes U+FFFD, as in JSON strings: PostgreSQL text cannot hold U+0000.
 */
function fileName(raw: string | undefined): string {
  const base = path
    .basename((raw ?? "").replaceAll("\\", "/"))
    .replaceAll("\u0000", "\uFFFD")
    .trim();
  return (base || "file").slice(0, LIMITS.string);
}
